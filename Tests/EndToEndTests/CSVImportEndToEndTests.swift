import FieldSyncTestSupport
import Foundation
import SyncClient
import SyncCore
import Testing

/// `fieldsync import-csv` through the real executable: bad spreadsheets get a report per row
/// and change nothing; a clean one is applied whole.
@Suite("CSV import from the command line", .serialized)
struct CSVImportEndToEndTests {
    /// A device with one account on it, and a directory for the files.
    struct Bench {
        var directory: TemporaryDirectory
        var device: CLIDevice

        init() async throws {
            try Executables.require()
            directory = try TemporaryDirectory("fieldsync-csv")
            device = CLIDevice(name: "alice", database: directory.path("device.sqlite"))
            try await device.run(["init"])
            try await device.run(["create", "account", "name=杭州星辰科技有限公司", "territory=east", "city=杭州", "phone=0571-8888-0000"])
        }

        func file(_ name: String, _ text: String) throws -> String {
            try write(name, Data(text.utf8))
        }

        func write(_ name: String, _ data: Data) throws -> String {
            let path = directory.path(name)
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }

        /// Runs `fieldsync import-csv ARGS` and returns its result, whatever the status.
        func importCSV(_ arguments: [String]) async throws -> CommandResult {
            try await runCommand(Executables.fieldsync, ["import-csv"] + arguments + ["--db", device.database])
        }

        func dump() async throws -> String { try await device.run(["dump"]) }
    }

    @Test("a file that is not UTF-8 (GBK from a Chinese Excel) is refused as a whole")
    func notUTF8() async throws {
        let bench = try await Bench()
        let before = try await bench.dump()
        // "客户名称,电话\n华科,021-5888 1234\n" in GBK.
        let gbk: [UInt8] = [0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xB5, 0xE7, 0xBB, 0xB0, 0x0A,
                            0xBB, 0xAA, 0xBF, 0xC6, 0x2C] + Array("021-5888 1234\n".utf8)
        let path = try bench.write("gbk.csv", Data(gbk))
        let result = try await bench.importCSV(["account", path, "--default", "territory=east"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("not_utf8"), "\(result.stdout)")
        #expect(result.stdout.contains("UTF-8"))
        #expect(result.stdout.contains("nothing was changed"))
        await #expect(try bench.dump() == before)
    }

    @Test("under LANG=zh_CN.UTF-8 every problem the import lists is a Chinese sentence with its values, after its code")
    func problemsInChinese() async throws {
        let bench = try await Bench()
        let before = try await bench.dump()
        let path = try bench.file("problems.csv", """
            客户名称,电话,邮箱,客户等级,城市,城市,微信,区域
            北京新锐科技有限公司,12345,,,北京,,,east
            北京正元电子有限公司,,not-an-email,,北京,,,east,extra
            ,13912345678,,,,,,east
            广州南方制造有限公司,,,D,广州,,,east
            杭州星辰科技,0571 8888 0000,,,杭州,,,east

            """)
        let result = try await runCommand(Executables.fieldsync, ["import-csv", "account", path, "--db", bench.device.database], environment: CLILanguageEndToEndTests.chinese)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        for code in ["malformed_phone", "malformed_email", "extra_values", "missing_value", "invalid_value", "duplicate_of_existing", "unmapped_column", "duplicate_header"] {
            #expect(result.stdout.contains(code), "no \(code) in: \(result.stdout)")
        }
        #expect(result.stdout.contains("'12345' 不是电话号码"), "\(result.stdout)")
        let values = ["北京新锐科技有限公司", "北京正元电子有限公司", "广州南方制造有限公司", "杭州星辰科技有限公司", "not-an-email"]
        #expect(EnglishProse.lines(in: result.stdout + result.stderr, values: values).isEmpty,
                "import-csv prints English: \(EnglishProse.lines(in: result.stdout + result.stderr, values: values))")
        await #expect(try bench.dump() == before)
    }

    @Test("missing required columns are named with the headers that would fill them")
    func missingColumns() async throws {
        let bench = try await Bench()
        let before = try await bench.dump()
        let path = try bench.file("missing.csv", "城市,电话\n上海,021-5555-0100\n")
        let result = try await bench.importCSV(["account", path])
        #expect(result.status == 1)
        let issues = result.stdout.split(separator: "\n").filter { $0.contains("missing_column") }
        #expect(issues.contains { $0.contains("'name'") }, "\(result.stdout)")
        #expect(issues.contains { $0.contains("'territory'") })
        await #expect(try bench.dump() == before)
    }

    @Test("a malformed phone is reported on its line, and the good rows are not applied either")
    func malformedPhone() async throws {
        let bench = try await Bench()
        let before = try await bench.dump()
        let path = try bench.file("phones.csv", """
            客户名称,城市,电话
            上海华科电子有限公司,上海,021-5888 1234
            北京新锐科技有限公司,北京,12345
            广州南方制造有限公司,广州,（020）8765 4321

            """)
        let result = try await bench.importCSV(["account", path, "--default", "territory=east"])
        #expect(result.status == 1)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("malformed_phone") }, "\(result.stdout)")
        #expect(line.hasPrefix("   3") || line.trimmingCharacters(in: .whitespaces).hasPrefix("3 "), "the issue names line 3: \(line)")
        #expect(line.contains("电话"))
        #expect(result.stdout.contains("nothing was changed"))
        await #expect(try bench.dump() == before)

        // Dry run of the corrected file: ready, still nothing changed.
        let fixed = try bench.file("fixed.csv", """
            客户名称,城市,电话
            上海华科电子有限公司,上海,021-5888 1234
            北京新锐科技有限公司,北京,010-6543 2100

            """)
        let dry = try await bench.importCSV(["account", fixed, "--default", "territory=east", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("ready: 2 account records to create"))
        #expect(dry.stdout.contains("dry run: nothing was changed"))
        await #expect(try bench.dump() == before)

        let applied = try await bench.importCSV(["account", fixed, "--default", "territory=east"])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("imported 2 account records in one transaction"))
        #expect(!applied.stdout.contains("dry run"), "a real import does not call itself a dry run: \(applied.stdout)")
        let states = try await bench.device.states().filter { $0.entity == "account" }
        #expect(states.count == 3)
        #expect(states.contains { $0.value(of: "phone") == .string("021-58881234") || $0.value(of: "phone").stringValue?.contains("5888") == true })
    }

    @Test("duplicate rows: in the file and of an existing account; skip applies the rest, reject changes nothing")
    func duplicates() async throws {
        let bench = try await Bench()
        let before = try await bench.dump()
        let path = try bench.file("dupes.csv", """
            name,city,phone,territory
            无锡润丰电子股份有限公司,无锡,0510-8123 4567,east
            无锡润丰电子股份有限公司,无锡,0510-8123 4567,east
            杭州星辰科技, 杭州,0571 8888 0000,east

            """)
        let rejected = try await bench.importCSV(["account", path, "--on-duplicate", "reject"])
        #expect(rejected.status == 1)
        #expect(rejected.stdout.contains("duplicate_in_file"), "\(rejected.stdout)")
        #expect(rejected.stdout.contains("duplicate_of_existing"))
        await #expect(try bench.dump() == before)

        let json = try await JSONValues.object(try bench.importCSV(["account", path, "--dry-run", "--json"]).stdout)
        #expect(JSONValues.int(json, ["report", "skippedDuplicates"]) == 2)
        #expect((JSONValues.value(json, ["applied"]) as? Bool) == false)
        await #expect(try bench.dump() == before)

        let skipped = try await bench.importCSV(["account", path])
        #expect(skipped.status == 0, "\(skipped.stdout)\(skipped.stderr)")
        #expect(skipped.stdout.contains("imported 1 account record"))
        await #expect(try bench.device.states().filter { $0.entity == "account" }.count == 2)
    }

    @Test("--map names columns the automatic mapping does not know; contacts find their account by name")
    func mappingAndReferences() async throws {
        let bench = try await Bench()
        let accounts = try bench.file("accounts.csv", "Firma,Tel,Gebiet\nBluewater Electronics Ltd.,+86 21 5555 0100,east\n")
        let mapped = try await bench.importCSV(["account", accounts, "--map", "Firma=name", "--map", "Tel=phone", "--map", "Gebiet=territory"])
        #expect(mapped.status == 0, "\(mapped.stdout)\(mapped.stderr)")
        let contacts = try bench.file("contacts.csv", "联系人,客户名称,手机\n王芳,Bluewater Electronics Ltd.,138 0000 1111\n李雷,No Such Company,139 0000 2222\n")
        let result = try await bench.importCSV(["contact", contacts])
        #expect(result.status == 1)
        #expect(result.stdout.contains("unknown_reference"), "\(result.stdout)")
        let wrongMap = try await bench.importCSV(["account", accounts, "--map", "Company=name"])
        #expect(wrongMap.status == 1)
        #expect(wrongMap.stderr.contains("no column 'Company'"))
    }

    @Test("orders with their lines from two files, one transaction; a bad line changes nothing; tickets and activities at the account")
    func ordersWithLinesAndRecordsAroundTheAccount() async throws {
        let bench = try await Bench()
        let orders = try bench.file("orders.csv", "订单编号,客户名称,订单状态,下单日期\nSO-9001,杭州星辰科技有限公司,已提交,2026-10-08\nSO-9002,杭州星辰科技有限公司,草稿,2026-10-09\n")
        let badLines = try bench.file("bad-lines.csv", "订单编号,产品编码,数量,单价\nSO-9001,OLD-1,2,50\nSO-9003,OLD-2,1,10\n")
        let before = try await bench.dump()
        let refused = try await bench.importCSV(["order", orders, "--lines", badLines])
        #expect(refused.status == 1)
        let issue = try #require(refused.stdout.split(separator: "\n").first { $0.contains("unknown_reference") }, "\(refused.stdout)")
        #expect(issue.trimmingCharacters(in: .whitespaces).hasPrefix("lines 3"), "the lines file's line 3: \(issue)")
        #expect(refused.stdout.contains("nothing was changed"))
        await #expect(try bench.dump() == before, "no order without its lines, no line without its order")

        let lines = try bench.file("lines.csv", "订单编号,产品编码,数量,单价,税率\nSO-9001,OLD-1,2,50,13\nSO-9001,OLD-2,1,10,\nSO-9002,OLD-2,3,10,\n")
        let applied = try await bench.importCSV(["order", orders, "--lines", lines])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("imported 2 order and 3 order_line records in one transaction"), "\(applied.stdout)")
        #expect(!applied.stdout.contains("dry run"))
        let states = try await bench.device.states()
        let order = try #require(states.first { $0.entity == "order" && $0.value(of: "number") == .string("SO-9001") })
        #expect(order.value(of: "total") == .string("123"), "2 × 50 + 13 % tax, and 10")
        #expect(order.value(of: "status") == .string("submitted"))
        #expect(states.filter { $0.entity == "order_line" && $0.value(of: "order") == .string(order.id) }.count == 2)
        let shown = try await JSONValues.object(try bench.device.run(["show", "order", "SO-9001", "--json"]))
        #expect((JSONValues.value(shown, ["children", "lines"]) as? [Any])?.count == 2)
        #expect(JSONValues.string(shown, ["references", "account"]) == "杭州星辰科技有限公司", "show --json names the account: \(shown)")

        let tickets = try bench.file("tickets.csv", "工单标题,客户名称,工单类型,严重程度,状态,创建时间\n读数漂移,杭州星辰科技有限公司,投诉,高,未处理,2026-11-20 08:00\n")
        let ticketImport = try await bench.importCSV(["ticket", tickets])
        #expect(ticketImport.status == 0, "\(ticketImport.stdout)\(ticketImport.stderr)")
        let ticket = try await JSONValues.object(try bench.device.run(["show", "ticket", "读数漂移", "--json"]))
        #expect(JSONValues.string(ticket, ["fields", "opened_at"]) == "2026-11-20T00:00:00Z", "08:00 China time")
        #expect(JSONValues.string(ticket, ["references", "account"]) == "杭州星辰科技有限公司")
        let ticketText = try await bench.device.run(["show", "ticket", "读数漂移"])
        #expect(ticketText.contains("(杭州星辰科技有限公司)"), "\(ticketText)")

        let activities = try bench.file("visits.csv", "客户名称,跟进方式,拜访时间,跟进结果\n杭州星辰科技有限公司,拜访,2026-11-21 10:00,同意试用\n")
        let activityImport = try await bench.importCSV(["activity", activities])
        #expect(activityImport.status == 0, "\(activityImport.stdout)\(activityImport.stderr)")
        let opportunities = try bench.file("deals.csv", "商机名称,客户名称,销售阶段,商机金额\n年度框架,杭州星辰科技有限公司,商务谈判,50000\n")
        let dealImport = try await bench.importCSV(["opportunity", opportunities])
        #expect(dealImport.status == 0, "\(dealImport.stdout)\(dealImport.stderr)")
        let after = try await bench.device.states()
        #expect(after.contains { $0.entity == "activity" && $0.value(of: "at") == .string("2026-11-21T02:00:00Z") })
        #expect(after.contains { $0.entity == "opportunity" && $0.value(of: "stage") == .string("negotiation") })
    }
}
