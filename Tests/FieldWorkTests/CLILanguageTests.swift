import CRM
import FieldWork
import Foundation
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
        #expect(DemoString.problems.isEmpty, "\(DemoString.problems)")
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

    @Test("a device that cannot read an answer or a file says where and what in Chinese, from the facts of Foundation's DecodingError")
    func decodingProblems() throws {
        // (what JSONDecoder reported, as `APIErrorLanguageTests.decodingRefusals` reads it from real decodes)
        let cases: [(DecodingProblem, String, String)] = [
            (DecodingProblem(place: "", kind: .missingKey("name")), "missing key 'name'", "缺少键 'name'"),
            (DecodingProblem(place: "items[1]", kind: .wrongType(.integer)), "at items[1]: expected an integer", "items[1]处：需要整数"),
            (DecodingProblem(place: "name", kind: .null(.string)), "at name: expected a string, found null", "name处：需要字符串，收到的是 null"),
            (DecodingProblem(place: "", kind: .notJSON), "not valid JSON", "不是有效的 JSON"),
        ]
        for (problem, english, chinese) in cases {
            let described = problem.description
            #expect(described == english, "\(problem)")
            #expect(CLIPhrases.refusal(code: "bad_response", "the server's answer could not be read: \(described)", .chinese) == "服务器的回应无法读取：\(chinese)")
            #expect(CLIPhrases.refusal(code: "malformed_change", "not a fieldsync-fixture/1 file: \(described)", .chinese) == "不是 fieldsync-fixture/1 文件：\(chinese)")
        }
    }

    @Test("a file that cannot be read and a server that cannot be reached say why in Chinese, from the codes of Foundation's errors")
    func readAndReachFailures() {
        #expect(FileReadFailure.problems.isEmpty, "\(FileReadFailure.problems)")
        #expect(FileReadFailure(CocoaError(.fileReadNoSuchFile)).text(.chinese) == "文件不存在")
        #expect(FileReadFailure(CocoaError(.fileReadNoPermission)) == .noPermission)
        #expect(FileReadFailure(CocoaError(.fileReadCorruptFile)) == .unreadable)
        let reasons = [
            ("the connection was refused", "连接被拒绝"), ("the request timed out", "请求超时"), ("the server's name was not found", "找不到服务器的域名"),
            ("there is no network connection", "没有网络连接"), ("the connection was lost", "连接中断"), ("the secure connection failed", "安全连接失败"),
            ("the connection failed (URLError -1011)", "连接失败（URLError -1011）"),
        ]
        for (english, chinese) in reasons {
            #expect(CLIPhrases.refusal(code: "network_error", "could not reach the server: \(english)", .chinese) == "无法连接服务器：\(chinese)")
        }
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
