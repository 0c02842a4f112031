import CRM
import FieldWork
import SyncCore
import Testing

/// The field client's words in English and Chinese: every catalogue entry in both languages,
/// every refusal code with a Chinese gist, and the library's sentences translated by pattern
/// with their values kept.
@Suite("The field client's catalogue and phrase book")
struct CLILanguageTests {
    @Test("every entry of the CLI's catalogues has both languages, the Chinese in Chinese, with the same {placeholders}")
    func cataloguesAreComplete() {
        #expect(CLIString.problems.isEmpty, "\(CLIString.problems)")
        #expect(RecordVerb.problems.isEmpty, "\(RecordVerb.problems)")
        #expect(CLIString.nothingChanged.text(.chinese, ["entity": "客户", "label": "上海华科", "what": "这个值"]) == "没有修改：客户 上海华科 已经是这个值")
    }

    @Test("every stable refusal code a device meets has a Chinese gist")
    func everyCodeHasAGist() {
        let codes = ValidationError.Code.allCases.map(\.rawValue) + LoyaltyErrorCode.allCases.map(\.rawValue)
            + VisitPlanErrorCode.allCases.map(\.rawValue) + ["record_not_found", "ambiguous_name", "ambiguous_id", "record_deleted", "not_enrolled", "network_error"]
        for code in codes {
            let gist = CLIPhrases.refusalGists[code]
            #expect(gist?.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } == true, "\(code): \(gist ?? "none")")
        }
    }

    @Test("refusals that arrive as English text (a stored rejection, an older server) are read back from the catalogue, values as typed; other text keeps its English after the code's gist; English stays")
    func refusals() {
        #expect(CLIPhrases.refusal(code: "record_not_found", "no account has the id or name '苏州'", .chinese) == "没有 id 或 name 为 '苏州' 的客户")
        #expect(CLIPhrases.refusal(code: "missing_required_field", "field 'name': field 'name' is required and cannot be empty", .chinese)
            == "字段 'name'：字段 'name' 是必填项，不能为空")
        #expect(CLIPhrases.refusal(code: "unknown_field", "account has no field 'nmae'; did you mean 'name'? (fields: name, city)", .chinese)
            == "客户没有字段 'nmae'；您是不是要输入 'name'？（字段：name, city）")
        #expect(CLIPhrases.refusal(code: "invalid_value", "something new", .chinese) == "值无效（something new）")
        #expect(CLIPhrases.refusal(code: "record_not_found", "no account with id 0192", .english) == "no account with id 0192")
    }

    @Test("an account's statement and points read in Chinese, amounts and names as they are")
    func statementLines() {
        #expect(CLIPhrases.text("orders: 3, revenue CNY 12,000.00, USD 5.00 (confirmed and delivered)", .chinese) == "订单：3 个，收入 CNY 12,000.00, USD 5.00（已确认和已交付）")
        #expect(CLIPhrases.text("receivables: none outstanding, none overdue", .chinese) == "应收账款：未收 无，逾期 无")
        #expect(CLIPhrases.text("credit: CNY 50.00 paid beyond its invoices (to refund or carry over)", .chinese) == "多付款：CNY 50.00（超出发票金额，待退款或结转）")
        #expect(CLIPhrases.text("120 points, level member (普通会员) (lifetime 120; 880 more for silver (银卡)); this device may redeem 0 offline", .chinese)
            == "120 积分，普通会员（累计 120；再得 880 分升为银卡）；本设备可离线兑换 0 分")
    }
}
