import CRM
import Foundation
import SyncCore
import Testing

/// The CSV import of the records around a customer: opportunities, activities, tickets, and
/// orders with their lines (two files, as Chinese CRMs export them), references checked against
/// the row's account, territories against the server's list.
@Suite("CSV import of opportunities, activities, tickets and orders with lines")
struct CSVImportRecordsTests {
    static let existing = CRMDataSet(records: [
        Sample.account(1, "上海华科电子有限公司", city: "上海"),
        Sample.account(2, "Northwind Trading", city: "苏州"),
        Sample.record("contact", 10, ["account": .string(Sample.id(1)), "name": .string("王磊")]),
        Sample.record("contact", 11, ["account": .string(Sample.id(2)), "name": .string("李娜")]),
        Sample.record("product", 20, ["sku": .string("SKU-A"), "name": .string("工业传感器"), "unit_price": .string("120.50")]),
        Sample.record("product", 21, ["sku": .string("SKU-B"), "name": .string("控制器"), "unit_price": .string("1000")]),
    ])

    func importer(_ entity: String, territories: [Territory] = []) -> CSVImporter {
        CSVImporter(options: .init(entity: entity, territories: TerritoryList(territories: territories)), existing: Self.existing)
    }

    @Test("opportunities: Chinese headers and stage words, the account by name")
    func opportunities() throws {
        let csv = """
            商机名称,客户名称,销售阶段,商机金额,预计成交日期,负责人
            年度传感器采购,上海华科电子有限公司,方案报价,"¥120,000",2026/12/31,alice
            控制器升级,Northwind Trading,商务谈判,80000,2027-1-15,bob
            """
        let report = importer("opportunity").dryRun(Data(csv.utf8))
        #expect(report.issues == [], "\(report.issues)")
        #expect(report.creations.map { $0.values["account"] } == [.string(Sample.id(1)), .string(Sample.id(2))])
        #expect(report.creations.map { $0.values["stage"] } == [.string("proposal"), .string("negotiation")])
        #expect(report.creations[0].values["amount"] == .string("120000"))
        #expect(report.creations[0].values["expected_close"] == .string("2026-12-31"))
        #expect(report.creations[1].values["owner"] == .string("bob"))
    }

    @Test("activities: times without a zone are China time; the contact is looked for at the row's account")
    func activities() throws {
        let csv = """
            客户名称,联系人,跟进方式,拜访时间,跟进结果,下次跟进日期
            上海华科电子有限公司,王磊,拜访,2026-11-20 09:30,同意报价,2026-11-27
            Northwind Trading,王磊,电话,2026-11-21T10:00+08:00,,
            Northwind Trading,李娜,电话,2026/11/22 14:05:30Z,回电,
            上海华科电子有限公司,,会议,明天上午,,
            """
        let report = importer("activity").dryRun(Data(csv.utf8))
        #expect(report.creations.count == 2)
        #expect(report.creations[0].values["at"] == .string("2026-11-20T01:30:00Z"))
        #expect(report.creations[0].values["contact"] == .string(Sample.id(10)))
        #expect(report.creations[0].values["type"] == .string("visit"))
        #expect(report.creations[1].values["at"] == .string("2026-11-22T14:05:30Z"))
        #expect(report.creations[1].values["contact"] == .string(Sample.id(11)))
        let problems = report.issues.map { "\($0.line ?? 0) \($0.column ?? "") \($0.code.rawValue)" }
        #expect(problems == ["3 联系人 contact_of_other_account", "5 拜访时间 invalid_value"])
        #expect(report.issues[0].message.contains("上海华科电子有限公司"), "names the contact's own account: \(report.issues[0].message)")
    }

    @Test("tickets: category, severity and status in Chinese; a contact id of another account is refused")
    func tickets() throws {
        let csv = """
            工单标题,客户名称,联系人,工单类型,严重程度,状态,创建时间
            传感器读数漂移,上海华科电子有限公司,\(Sample.id(10)),投诉,高,未处理,2026-11-20 08:00
            发票抬头错误,上海华科电子有限公司,\(Sample.id(11)),服务请求,低,未处理,2026-11-20 09:00
            """
        let report = importer("ticket").dryRun(Data(csv.utf8))
        #expect(report.creations.count == 1)
        let ticket = try #require(report.creations.first)
        #expect(ticket.values["category"] == .string("complaint"))
        #expect(ticket.values["severity"] == .string("high"))
        #expect(ticket.values["status"] == .string("open"))
        #expect(ticket.values["opened_at"] == .string("2026-11-20T00:00:00Z"))
        #expect(report.issues.map(\.code) == [.contactOfOtherAccount])
        #expect(report.issues.first?.line == 3)
    }

    @Test("territories are taken by key or title from the server's list, others refused with the nearest")
    func territories() throws {
        let list = [Territory(name: "east", title: "华东"), Territory(name: "north", title: "华北")]
        let csv = "客户名称,城市,区域\n杭州恒信科技,杭州,华东\n北京新锐科技,北京,north\n广州南方制造,广州,esat\n"
        let report = importer("account", territories: list).dryRun(Data(csv.utf8))
        #expect(report.creations.map { $0.values["territory"] } == [.string("east"), .string("north")])
        #expect(report.issues.map { "\($0.line ?? 0) \($0.code.rawValue)" } == ["4 unknown_territory"])
        #expect(report.issues.first?.message.contains("did you mean 'east'?") == true, "\(report.issues)")
        #expect(!report.canApply)

        let byDefault = CSVImporter(
            options: .init(entity: "account", defaults: ["territory": "south"], territories: TerritoryList(territories: list)), existing: Self.existing
        ).dryRun(Data("客户名称\n深圳恒达\n".utf8))
        #expect(byDefault.issues.map(\.code) == [.unknownTerritory])
        // Without a list (a device that has not synced with a server that keeps one) any territory is taken.
        #expect(importer("account").dryRun(Data(csv.utf8)).canApply)
    }

    static let orders = """
        订单编号,客户名称,订单状态,下单日期,订单金额
        SO-001,上海华科电子有限公司,已交付,2026-10-08,
        SO-002,Northwind Trading,已提交,2026-10-09,2000
        """

    @Test("orders with their lines: a line names its order by number, takes its account and the price list's price; each total is its lines'")
    func ordersWithLines() throws {
        let lines = """
            订单编号,产品编码,数量,单价,折扣,税率
            SO-001,SKU-A,2,,10,13
            SO-001,OLD-77,1,99.90,,
            SO-002,SKU-B,2,,,
            """
        let report = importer("order").dryRun(orders: Data(Self.orders.utf8), lines: Data(lines.utf8))
        #expect(report.issues == [], "\(report.issues)")
        #expect(report.summary.contains("ready: 2 order and 3 order_line records to create"), "\(report.summary)")
        let orders = report.creations.filter { $0.entity == "order" }
        let orderLines = report.creations.filter { $0.entity == "order_line" }
        #expect(orders.count == 2 && orderLines.count == 3)
        let first = try #require(orders.first?.id)
        let second = try #require(orders.last?.id)
        #expect(first != second)
        #expect(orderLines.map { $0.values["order"] } == [.string(first), .string(first), .string(second)])
        #expect(orderLines.map { $0.values["account"] } == [.string(Sample.id(1)), .string(Sample.id(1)), .string(Sample.id(2))])
        #expect(orderLines[0].values["product"] == .string(Sample.id(20)))
        #expect(orderLines[0].values["unit_price"] == .string("120.50"))
        #expect(orderLines[0].values["description"] == .string("工业传感器"))
        #expect(orderLines[1].values["product"] == nil, "a sku the price list does not know keeps the file's price")
        #expect(orderLines.map { $0.file } == ["lines", "lines", "lines"])
        // SO-001: 2 × 120.50 less 10 % = 216.90, plus 13 % tax 28.20 = 245.10; and 99.90.
        let expected = (Decimal(string: "216.90")! + Decimal(string: "28.20")! + Decimal(string: "99.90")!)
        #expect(orders[0].values["total"].flatMap(\.stringValue).flatMap { Decimal(string: $0) } == expected)
        #expect(orders[0].values["status"] == .string("delivered"))
        #expect(orders[1].values["total"] == .string("2000"))
    }

    @Test("bad lines are reported in the lines file by line; a total that disagrees with the lines is an error")
    func badLines() throws {
        let lines = """
            订单编号,产品编码,数量,单价
            SO-001,SKU-A,1,
            SO-009,SKU-A,1,
            SO-002,SKU-B,3,
            SO-001,NEW-1,2,
            """
        let report = importer("order").dryRun(orders: Data(Self.orders.utf8), lines: Data(lines.utf8))
        #expect(!report.canApply)
        let problems = report.issues.map { "\($0.file ?? "orders") \($0.line ?? 0) \($0.code.rawValue)" }
        #expect(problems == ["orders 3 total_mismatch", "lines 3 unknown_reference", "lines 5 missing_value"], "\(report.issues)")
        #expect(report.issues.first { $0.code == .unknownReference }?.message.contains("SO-009") == true)
        #expect(report.issues.first { $0.code == .totalMismatch }?.message.contains("3000") == true)
        #expect(report.table.rows.contains { $0.first == "lines 3" })
    }

    @Test("order lines alone are refused: they come with their orders")
    func linesAlone() {
        let report = importer("order_line").dryRun(Data("order,sku,quantity\nSO-001,SKU-A,1\n".utf8))
        #expect(report.issues.map(\.code) == [.linesWithoutOrders])
        #expect(!report.canApply)
    }
}
