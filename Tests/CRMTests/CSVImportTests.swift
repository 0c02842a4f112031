import CRM
import Foundation
import SyncCore
import Testing

@Suite("CSV import for migration: mapping, cleaning, validation, duplicates")
struct CSVImportTests {
    static let existing = CRMDataSet(records: [
        Sample.record("account", 1, [
            "name": .string("上海华科电子有限公司"), "city": .string("上海"), "phone": .string("021-5888 1234"),
            "territory": .string("east"), "email": .string("sales@huake.com.cn"),
        ]),
        Sample.account(2, "Northwind Trading", city: "苏州"),
        Sample.account(3, "Apex Ltd", city: "北京"),
        Sample.account(4, "Apex Ltd", city: "上海"),
    ])

    func importAccounts(_ csv: String, defaults: [String: String] = ["territory": "east"], duplicates: CSVImporter.DuplicatePolicy = .skip) -> CSVImportReport {
        CSVImporter(options: .init(entity: "account", defaults: defaults, duplicates: duplicates), existing: Self.existing)
            .dryRun(Data(csv.utf8))
    }

    @Test("Chinese headers map automatically and cells are cleaned")
    func cleanImport() throws {
        let csv = """
            客户名称,电话,邮箱,城市,行业,地址,标签,客户等级,生命周期,规模,信用额度,积分,备注
            　杭州恒信科技有限公司　,+86 138-1234-5678, Sales@HengXin.COM ,杭州,software,杭州西湖区文三路 1 号,vip；software、sme,a类,忠诚,中型,"¥1,200,000",120,"第一行
            第二行"

            """
        let report = importAccounts(csv)
        #expect(report.issues == [])
        #expect(report.canApply)
        #expect(report.columns.map(\.field) == ["name", "phone", "email", "city", "industry", "address", "tags", "tier", "lifecycle", "company_size", "credit_limit", "loyalty_points", "notes"])
        let creation = try #require(report.creations.first)
        #expect(creation.line == 2)
        #expect(creation.values["name"] == .string("杭州恒信科技有限公司"))
        #expect(creation.values["phone"] == .string("13812345678"))
        #expect(creation.values["email"] == .string("sales@hengxin.com"))
        #expect(creation.values["territory"] == .string("east"))
        #expect(creation.values["tier"] == .string("A"))
        #expect(creation.values["lifecycle"] == .string("loyal"))
        #expect(creation.values["company_size"] == .string("medium"))
        #expect(creation.values["credit_limit"] == .string("1200000"))
        #expect(creation.values["notes"] == .string("第一行\n第二行"))
        #expect(creation.sets["tags"] == ["sme", "software", "vip"])
        #expect(creation.counters["loyalty_points"] == 120)
        let operations = try creation.operations(in: CRMSchema.schema)
        let change = Change(
            entity: "account", recordID: Sample.id(50), dot: Dot(replica: StateBuilder.replica, counter: 1),
            hlc: HLC(physical: 1), context: VersionVector(), operations: operations
        )
        try CRMSchema.schema.validate(change)
    }

    @Test("automatic mapping knows English and Chinese headers", arguments: [
        ("account", ["公司名称", "手机", "电子邮件", "所在城市", "Industry", "详细地址", "Credit Limit", "E-mail"],
         ["name", "phone", "email", "city", "industry", "address", "credit_limit", nil]),
        ("contact", ["联系人", "公司名称", "手机号", "邮箱", "职位", "生日"], ["name", "account", "phone", "email", "title", "birthday"]),
        ("account", ["Customer Name", "Tel", "Region", "Owner", "Remarks"], ["name", "phone", "territory", "owner", "notes"]),
    ])
    func automaticMapping(entity: String, headers: [String], fields: [String?]) throws {
        let schema = try #require(CRMSchema.schema.entity(entity))
        let mapping = CSVColumnMapping.automatic(headers: headers, entity: schema)
        #expect(headers.map { mapping.field(forHeader: $0) } == fields)
    }

    @Test("a missing required column is a file-level error and nothing is created")
    func missingColumn() {
        let report = importAccounts("客户名称,电话\nApex,13812345678\n", defaults: [:])
        #expect(!report.canApply)
        #expect(report.creations.isEmpty)
        let issue = report.issues.first { $0.code == .missingColumn }
        #expect(issue?.field == "territory")
        #expect(issue?.line == nil)
        #expect(issue?.message.contains("区域") == true)
    }

    @Test("malformed phones and e-mails, bad values and empty required cells are reported per row and column")
    func badRows() throws {
        let csv = """
            客户名称,电话,邮箱,客户等级,信用额度
            Good Co,13812345678,a@b.cn,B,100
            Short Phone,12345,,,
            Bad Mail,,not-an-email,,
            ,13912345678,,,
            Bad Tier,,,D,
            Negative,,,,-5
            Letters,138-abcd-5678,,,
            """
        let report = importAccounts(csv)
        #expect(!report.canApply)
        #expect(report.creations.map(\.line) == [2])
        #expect(report.linesWithErrors == [3, 4, 5, 6, 7, 8])
        func issue(_ line: Int) -> CSVImportIssue? { report.issues.first { $0.line == line } }
        #expect(issue(3)?.code == .malformedPhone)
        #expect(issue(3)?.column == "电话")
        #expect(issue(3)?.row == 2)
        #expect(issue(3)?.message.contains("12345") == true)
        #expect(issue(4)?.code == .malformedEmail)
        #expect(issue(5)?.code == .missingValue)
        #expect(issue(5)?.column == "客户名称")
        #expect(issue(6)?.code == .invalidValue)
        #expect(issue(6)?.field == "tier")
        #expect(issue(7)?.code == .invalidValue)
        #expect(issue(8)?.code == .malformedPhone)
        #expect(report.table.rows.count == report.issues.count)
        #expect(report.summary.contains("nothing was changed"))
    }

    @Test("duplicate rows within the file, by phone, e-mail or name and city", arguments: CSVImporter.DuplicatePolicy.allCases)
    func duplicatesInFile(policy: CSVImporter.DuplicatePolicy) {
        let csv = """
            客户名称,电话,邮箱,城市
            Alpha,13812345678,,杭州
            Beta,+86 138 1234 5678,,杭州
            Gamma,,g@x.cn,杭州
            Delta,,G@X.CN,宁波
            Ｅｐｓｉｌｏｎ,,,宁波
            epsilon,,,宁波市
            """
        let report = importAccounts(csv, duplicates: policy)
        let duplicates = report.issues.filter { $0.code == .duplicateInFile }
        #expect(duplicates.map(\.line) == [3, 5, 7])
        #expect(duplicates.first?.message.contains("line 2") == true)
        #expect(duplicates.first?.message.contains("same phone") == true)
        switch policy {
        case .skip:
            #expect(report.canApply)
            #expect(report.creations.map(\.line) == [2, 4, 6])
            #expect(report.skippedDuplicates == 3)
        case .reject:
            #expect(!report.canApply)
            #expect(duplicates.allSatisfy { $0.severity == .error })
        case .allow:
            #expect(report.canApply)
            #expect(report.creations.count == 6)
        }
    }

    @Test("duplicates of existing records, however they are typed")
    func duplicatesOfExisting() {
        let csv = """
            客户名称,电话,邮箱,城市
            New Co,(021) 58881234,,上海
            上海 华科电子 有限公司,,,上海市
            Other,,SALES@HUAKE.COM.CN,
            Fresh,,,
            """
        let report = importAccounts(csv)
        let duplicates = report.issues.filter { $0.code == .duplicateOfExisting }
        #expect(duplicates.map(\.line) == [2, 3, 4])
        #expect(duplicates.allSatisfy { $0.message.contains(Sample.id(1)) })
        #expect(duplicates.allSatisfy { $0.severity == .warning })
        #expect(report.creations.map(\.line) == [5])
    }

    @Test("every problem is a sentence with its values in both languages: Chinese for a Chinese reader, the English kept in message")
    func problemsInBothLanguages() throws {
        #expect(CSVImportMessage.problems.isEmpty, "\(CSVImportMessage.problems)")
        let csv = """
            客户名称,电话,邮箱,客户等级,城市,城市,微信
            Short Phone,12345,,,杭州
            Bad Mail,,not-an-email,,,,x,extra
            ,13912345678,,,
            Bad Tier,,,D,
            New Co,(021) 58881234,,,上海

            """
        let report = importAccounts(csv)
        #expect(Set(report.issues.map(\.code)) == [
            .duplicateHeader, .unmappedColumn, .malformedPhone, .missingValues, .extraValues, .malformedEmail, .missingValue, .invalidValue, .duplicateOfExisting,
        ], "\(report.issues)")
        for issue in report.issues {
            let chinese = issue.message(in: .chinese)
            #expect(RefusalPhrases.isChinese(chinese), "\(issue.code): \(chinese)")
            #expect(issue.message(in: .english) == issue.message)
            #expect(chinese.matches(of: /[a-z]{2,} [a-z]{2,} [a-z]{2,}/).isEmpty, "English words in \(issue.code): \(chinese)")
        }
        func chinese(_ code: CSVImportIssue.Code) -> String? { report.issues.first { $0.code == code }?.message(in: .chinese) }
        #expect(chinese(.malformedPhone)?.hasPrefix("'12345' 不是电话号码") == true, "\(chinese(.malformedPhone) ?? "")")
        #expect(chinese(.extraValues) == "这一行有 8 个值，但表头有 7 列：含逗号的值必须放在引号里")
        #expect(chinese(.missingValue) == "客户必须有 name：列 '客户名称' 是空的")
        #expect(chinese(.duplicateOfExisting) == "可能与已有的客户 上海华科电子有限公司（\(Sample.id(1))）重复：电话相同 02158881234；已跳过", "\(chinese(.duplicateOfExisting) ?? "")")
        #expect(report.issues.first { $0.code == .duplicateOfExisting }?.message.hasSuffix("same phone 02158881234; skipped") == true)
        // The report's problem column is in the reader's language, the English report keeps the English.
        let text = report.text(.chinese)
        #expect(text.contains("这一行有 8 个值") && !text.contains("the row has"), "\(text)")
        #expect(report.text(.english).contains("the row has 8 values but the header has 7 columns"))
        // A file that cannot be read says why in Chinese too.
        let gbk = CSVImporter(options: .init(entity: "account")).dryRun(Data([0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x0A]))
        #expect(gbk.issues.first?.message(in: .chinese).hasPrefix("文件不是 UTF-8 编码：第 1 行的字节 0xBF") == true, "\(gbk.issues)")
    }

    @Test("non-UTF-8 input is refused with a clear file-level error and nothing to apply")
    func wrongEncoding() {
        let gbk = Data([0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x0A]) + Data("Apex\n".utf8)
        let report = CSVImporter(options: .init(entity: "account")).dryRun(gbk)
        #expect(!report.canApply)
        #expect(report.creations.isEmpty)
        #expect(report.issues.map(\.code) == [.notUTF8])
        #expect(report.issues.first?.message.contains("UTF-8") == true)
        #expect(report.issues.first?.line == 1)
    }

    @Test("rows with too many values are errors, too few a warning")
    func raggedRows() {
        let report = importAccounts("客户名称,城市\nApex Trading,Hangzhou,extra\nShort\n")
        #expect(report.issues.map(\.code) == [.extraValues, .missingValues])
        #expect(report.issues.map(\.severity) == [.error, .warning])
        #expect(report.creations.map(\.line) == [3])
    }

    @Test("unmapped and repeated columns are reported; an explicit mapping wins")
    func mappingIssues() {
        let importer = CSVImporter(
            options: .init(entity: "account", mapping: CSVColumnMapping(["Firma": "name", "Stadt": "city"]), defaults: ["territory": "east"]),
            existing: Self.existing
        )
        let report = importer.dryRun(Data("Firma,Stadt,Stadt,Wer\nKlein GmbH,Berlin,x,y\n".utf8))
        #expect(report.issues.map(\.code) == [.duplicateHeader, .unmappedColumn])
        #expect(report.creations.first?.values["city"] == .string("Berlin"))
        #expect(report.canApply)
    }

    @Test("bad defaults and unknown or read-only entities are file-level errors")
    func fileErrors() {
        #expect(importAccounts("客户名称\nA\n", defaults: ["territory": "east", "tier": "Z"]).issues.map(\.code) == [.invalidDefault])
        #expect(importAccounts("客户名称\nA\n", defaults: ["territory": "east", "colour": "red"]).issues.map(\.code) == [.unknownField])
        #expect(CSVImporter(options: .init(entity: "product")).dryRun(Data("sku\nx\n".utf8)).issues.map(\.code) == [.readOnlyEntity])
        #expect(CSVImporter(options: .init(entity: "widget")).dryRun(Data("a\nx\n".utf8)).issues.map(\.code) == [.unknownEntity])
        #expect(CSVImporter(options: .init(entity: "account")).dryRun(Data()).issues.map(\.code) == [.emptyFile])
        #expect(CSVImporter(options: .init(entity: "account")).dryRun(Data("a\n\"x\n".utf8)).issues.map(\.code) == [.malformedCSV])
    }

    @Test("contacts name their account by name or id")
    func contacts() throws {
        let csv = """
            联系人,公司名称,手机,职位
            王磊,上海华科电子有限公司,13800000001,采购经理
            李娜,northwind  trading,13800000002,
            张伟,\(Sample.id(2)),13800000003,
            赵敏,Unknown Corp,13800000004,
            钱进,Apex Ltd,13800000005,
            孙丽,,13800000006,
            """
        let report = CSVImporter(options: .init(entity: "contact"), existing: Self.existing).dryRun(Data(csv.utf8))
        #expect(report.creations.map { $0.values["account"] } == [.string(Sample.id(1)), .string(Sample.id(2)), .string(Sample.id(2))])
        #expect(report.creations.first?.values["title"] == .string("采购经理"))
        let problems = report.issues.map { "\($0.line ?? 0) \($0.code.rawValue)" }
        #expect(problems == ["5 unknown_reference", "6 ambiguous_reference", "7 missing_value"])
        #expect(report.issues.first { $0.code == .ambiguousReference }?.message.contains(Sample.id(3)) == true)
    }

    @Test("a contact already at the account is a duplicate")
    func contactDuplicate() {
        let existing = CRMDataSet(records: Self.existing.recordsOfAllEntities + [
            Sample.record("contact", 20, ["account": .string(Sample.id(2)), "name": .string("李娜"), "phone": .string("139 0000 0000")]),
        ])
        let csv = "联系人,公司名称\n李 娜,Northwind Trading\n李娜,Apex Ltd\n"
        let report = CSVImporter(options: .init(entity: "contact"), existing: existing).dryRun(Data(csv.utf8))
        #expect(report.issues.first?.code == .duplicateOfExisting)
        #expect(report.issues.first?.line == 2)
    }

    @Test("extra tags go on every record")
    func tags() {
        let report = CSVImporter(options: .init(entity: "account", defaults: ["territory": "east"], tags: ["imported-2026-11"]))
            .dryRun(Data("客户名称,标签\nApex,vip\nBeta,\n".utf8))
        #expect(report.creations.map { $0.sets["tags"] ?? [] } == [["imported-2026-11", "vip"], ["imported-2026-11"]])
    }

    @Test("dates, booleans and integers in the forms people type", arguments: [
        ("2026/3/5", "2026-03-05"), ("2026年3月5日", "2026-03-05"), ("2026.12.31", "2026-12-31"), ("2026-03-05", "2026-03-05"),
    ])
    func dates(typed: String, canonical: String) throws {
        let csv = "联系人,公司名称,生日\n王磊,Northwind Trading,\(typed)\n"
        let report = CSVImporter(options: .init(entity: "contact"), existing: Self.existing).dryRun(Data(csv.utf8))
        #expect(report.creations.first?.values["birthday"] == .string(canonical))
    }
}

@Suite("CSV export")
struct CSVExportTests {
    @Test("an entity's records with displayed values, sets joined with ;")
    func export() throws {
        var account = Sample.account(1, "Apex, \"the\" company", city: "上海")
        account.sets["tags"] = ["vip", "electronics"]
        account.values["loyalty_points"] = .int(7)
        let dataSet = CRMDataSet(records: [account, Sample.account(2, "Beta")])
        let schema = try #require(CRMSchema.schema.entity("account"))
        let csv = CSVExport.csv(dataSet, entity: schema, fields: ["name", "city", "tags", "loyalty_points"])
        #expect(csv == "id,name,city,tags,loyalty_points\r\n\(Sample.id(1)),\"Apex, \"\"the\"\" company\",上海,electronics;vip,7\r\n\(Sample.id(2)),Beta,,,\r\n")
    }

    @Test("exported accounts import back into an empty data set as the same values")
    func roundTrip() throws {
        let schema = try #require(CRMSchema.schema.entity("account"))
        var account = Sample.account(1, "Apex Trading", city: "杭州", tier: "B", lifecycle: "repeat", owner: "alice")
        account.values["phone"] = .string("13812345678")
        account.values["credit_limit"] = .string("50000.5")
        account.values["notes"] = .string("line 1\nline 2, \"quoted\"")
        account.sets["tags"] = ["sme", "vip"]
        account.values["loyalty_points"] = .int(30)
        let csv = CSVExport.csv(CRMDataSet(records: [account]), entity: schema)
        let report = CSVImporter(options: .init(entity: "account")).dryRun(Data(csv.utf8))
        #expect(report.canApply)
        #expect(report.issues.map(\.column) == ["id"])
        let creation = try #require(report.creations.first)
        var registers = account.values
        registers["loyalty_points"] = nil
        #expect(creation.values == registers)
        #expect(creation.sets == account.sets)
        #expect(creation.counters == ["loyalty_points": 30])
    }

    @Test("every fixture account exports and parses back")
    func fixtureExport() throws {
        let dataSet = CRMDataSet(fixture: try Repository.demo.get())
        let schema = try #require(CRMSchema.schema.entity("account"))
        let table = try CSVParser.parse(Data(CSVExport.csv(dataSet, entity: schema).utf8))
        #expect(table.header == ["id"] + schema.fields.map(\.name))
        #expect(table.rows.count == dataSet.accounts.count)
        #expect(table.rows.allSatisfy { $0.fields.count == table.header.count })
    }
}
