import FieldSyncTestSupport
import Foundation
import SyncClient
import Testing

/// The CLI in Chinese: under `LANG=zh_CN.UTF-8` what a rep reads (messages, table headers,
/// record details, history, conflicts, status, a sync, refusals) is Chinese, with names,
/// values, ids, codes and commands as typed; English stays the default; `--json` keeps the
/// schema's words.
@Suite("The CLI in Chinese")
struct CLILanguageEndToEndTests {
    static let chinese = ["LANG": "zh_CN.UTF-8"]

    @Test("the check finds English sentences and passes Chinese ones with codes, ids, commands and values")
    func theCheckCanFail() {
        #expect(!EnglishProse.runs(in: "pushed 1: 1 accepted, 0 already applied, 0 rejected").isEmpty)
        #expect(!EnglishProse.runs(in: "错误：record_not_found：no account with id 0192").isEmpty)
        #expect(EnglishProse.runs(in: "未知对象 'acount'；您是不是要输入 'account'？（已知：account, contact, lead, order_line）").isEmpty)
        #expect(EnglishProse.runs(in: "设备数据库  /tmp/fieldsync-cli/device.sqlite").isEmpty)
        #expect(EnglishProse.runs(in: "  --at <time>             签署时间：YYYY-MM-DDTHH:MM[:SS]，带 Z 或 +08:00 这样的时差（默认：现在）。").isEmpty)
        #expect(!EnglishProse.runs(in: "  --at <time>             签署时间：When it was signed (default: now)").isEmpty)
        #expect(EnglishProse.runs(in: "用法：fieldsync list [--db <path>] [--verbose] <entity> [--where <field=value> ...]").isEmpty)
        #expect(EnglishProse.runs(in: "错误：record_not_found：没有 id 为 0192f0c4 的客户").isEmpty)
        #expect(EnglishProse.runs(in: "修改字段即可解决字段冲突：fieldsync edit ENTITY ID field=value").isEmpty)
        #expect(EnglishProse.runs(in: "错误：--max-clock-skew：'-1' 不是秒数").isEmpty)
        #expect(!EnglishProse.runs(in: "错误：--max-clock-skew：must not be negative").isEmpty)
        #expect(EnglishProse.runs(in: "名称  Acme Trading Company", values: ["Acme Trading Company"]).isEmpty)
        #expect(!EnglishProse.runs(in: "名称  Acme Trading Company").isEmpty)
    }

    @Test("the usage errors the commands find themselves read in Chinese (exit 2, as the parser's own), and in English without a Chinese locale")
    func usageErrorsInChinese() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let database = scratch.path("device.sqlite")
        let mistakes: [(arguments: [String], english: String)] = [
            (["lead", "convert", "0192f0c4", "--account", "0192f0c5", "--new-account"], "give --account or --new-account, not both"),
            (["report", "pipeline", "--owner", "bob", "--mine"], "give --owner or --mine, not both"),
            (["report", "pipeline", "--json", "--csv"], "choose one of --json, --csv and --chart"),
            (["report", "nosuch"], "unknown report 'nosuch'"),
            (["list", "account", "--limit", "0"], "--limit must be at least 1"),
            (["edit", "account", "0192f0c4"], "nothing to change: give field=value or --clear field"),
            (["export", "account", "--bom"], "--bom goes with --format csv"),
            (["enroll", "--server", "ftp://example", "--code", "x"], "--server must be an http(s) URL"),
        ]
        for mistake in mistakes {
            let arguments = mistake.arguments + ["--db", database]
            let chinese = try await runCommand(try FieldSyncCLI.require(#_sourceLocation), arguments, environment: Self.chinese)
            #expect(chinese.status == 2, "\(mistake.arguments): \(chinese.stderr)")
            #expect(chinese.stderr.contains("错误"), "\(mistake.arguments): \(chinese.stderr)")
            #expect(EnglishProse.lines(in: chinese.stderr, values: ["0192f0c4", "0192f0c5", "nosuch"]).isEmpty, "\(mistake.arguments) prints English: \(chinese.stderr)")
            let english = try await runCommand(try FieldSyncCLI.require(#_sourceLocation), arguments, environment: ["LANG": "C"])
            #expect(english.status == 2 && english.stderr.contains(mistake.english), "\(mistake.arguments): \(english.stderr)")
        }
    }

    @Test("the rules' refusals read in Chinese with their codes (a workflow's field, a status move, a redemption beyond escrow); in English without a Chinese locale")
    func ruleRefusalsInChinese() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let database = scratch.path("device.sqlite")
        func run(_ arguments: [String], _ environment: [String: String]) async throws -> CommandResult {
            try await runCommand(try FieldSyncCLI.require(#_sourceLocation), arguments + ["--db", database], environment: environment)
        }
        #expect(try await run(["init"], Self.chinese).status == 0)
        #expect(try await run(["create", "account", "name=上海华科电子", "territory=east"], Self.chinese).status == 0)
        let opportunity = ["create", "opportunity", "title=年度采购", "account=上海华科电子", "stage=qualification", "amount=1000", "currency=CNY"]
        #expect(try await run(opportunity, Self.chinese).status == 0)
        let refusals: [(arguments: [String], code: String, english: String)] = [
            (["edit", "account", "上海华科电子", "loyalty_points=500"], "workflow_owned_field", "account field 'loyalty_points' is set by its workflow"),
            (["edit", "opportunity", "年度采购", "stage=negotiation"], "invalid_transition", "cannot move opportunity from qualification to negotiation"),
            (["points", "redeem", "上海华科电子", "100"], "loyalty_escrow_exceeded", "this device may redeem 0 of the account's 0 points now"),
        ]
        for refusal in refusals {
            let chinese = try await run(refusal.arguments, Self.chinese)
            #expect(chinese.status == 1 && chinese.stderr.hasPrefix("错误：\(refusal.code)："), "\(refusal.arguments): \(chinese.stderr)")
            #expect(EnglishProse.lines(in: chinese.stderr, values: ["上海华科电子", "年度采购"]).isEmpty, "\(refusal.arguments) prints English: \(chinese.stderr)")
            let english = try await run(refusal.arguments, ["LANG": "C"])
            #expect(english.status == 1 && english.stderr.hasPrefix("error: \(refusal.code): \(refusal.english)"), "\(refusal.arguments): \(english.stderr)")
        }
    }

    @Test("records, tables, history, conflicts, status and refusals read in Chinese; Chinese enumeration words are accepted; JSON keeps the schema's words")
    func aRepsDayInChinese() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let database = scratch.path("device.sqlite")
        func zh(_ arguments: [String]) async throws -> CommandResult {
            try await runCommand(try FieldSyncCLI.require(#_sourceLocation), arguments + ["--db", database], environment: Self.chinese)
        }
        var outputs: [(String, String)] = []
        @discardableResult
        func expectChinese(_ arguments: [String], status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult {
            let result = try await zh(arguments)
            #expect(result.status == status, "fieldsync \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
            let shown = result.stdout + result.stderr
            #expect(shown.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "no Chinese in \(arguments): \(shown)", sourceLocation: sourceLocation)
            outputs.append((arguments.joined(separator: " "), shown))
            return result
        }

        try await expectChinese(["init"])
        // The words the CSV import understands, typed in Chinese: 展会, A类, 忠诚.
        let created = try await expectChinese([
            "create", "account", "name=上海华科电子", "territory=east", "tier=A类", "lifecycle=忠诚", "source=展会", "phone=021-5888-1234", "city=上海",
        ])
        #expect(created.stdout.hasPrefix("已新建 客户 "), "\(created.stdout)")
        #expect(created.stdout.contains("展会") && created.stdout.contains("忠诚"), "\(created.stdout)")
        let stored = try await runCommand(try FieldSyncCLI.require(#_sourceLocation), ["show", "account", "上海华科电子", "--json", "--db", database], environment: Self.chinese)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(stored.stdout.utf8)) as? [String: Any])["fields"] as? [String: Any]
        #expect(fields?["source"] as? String == "trade_show" && fields?["tier"] as? String == "A" && fields?["lifecycle"] as? String == "loyal")

        try await expectChinese(["create", "opportunity", "title=年度采购", "account=上海华科电子", "stage=qualification", "amount=1234567", "currency=CNY"])
        let duplicate = try await expectChinese(["create", "account", "name=上海华科电子有限公司", "territory=east", "phone=021-5888-1234"])
        #expect(duplicate.stderr.hasPrefix("警告：probable_duplicate：可能与客户 上海华科电子"), "\(duplicate.stderr)")

        let accounts = try await expectChinese(["list", "account"])
        #expect(accounts.stdout.contains("名称") && accounts.stdout.contains("区域"), "\(accounts.stdout)")
        let opportunities = try await expectChinese(["list", "opportunity"])
        #expect(opportunities.stdout.contains("CNY 1,234,567") && opportunities.stdout.contains("初步接洽"), "\(opportunities.stdout)")
        try await expectChinese(["list", "ticket"])
        let shown = try await expectChinese(["show", "account", "上海华科电子"])
        #expect(shown.stdout.contains("进行中的商机（1）"), "\(shown.stdout)")

        try await expectChinese(["edit", "account", "上海华科电子", "city=苏州"])
        let unchanged = try await expectChinese(["edit", "account", "上海华科电子", "city=苏州"])
        #expect(unchanged.stdout.hasPrefix("没有修改："), "\(unchanged.stdout)")
        try await expectChinese(["history", "account", "上海华科电子"])
        try await expectChinese(["conflicts"])
        try await expectChinese(["status"])
        try await expectChinese(["followups"])
        try await expectChinese(["delete", "opportunity", "年度采购"])

        // Refusals: the stable code as it is, the text in Chinese.
        let missing = try await expectChinese(["show", "account", "不存在的客户"], status: 1)
        #expect(missing.stderr.hasPrefix("错误：record_not_found："), "\(missing.stderr)")
        let misspelt = try await expectChinese(["edit", "account", "上海华科电子", "nmae=x"], status: 1)
        #expect(misspelt.stderr.hasPrefix("错误：unknown_field：") && misspelt.stderr.contains("'name'"), "\(misspelt.stderr)")
        let empty = try await expectChinese(["edit", "account", "上海华科电子", "name="], status: 1)
        #expect(empty.stderr.hasPrefix("错误：missing_required_field："), "\(empty.stderr)")
        try await expectChinese(["list", "acount"], status: 1)
        try await expectChinese(["sync"], status: 1)
        // Foundation's errors by their codes, in our words: a file that is not there, a server no one answers for.
        let unread = try await expectChinese(["import-csv", "account", scratch.path("missing.csv")], status: 1)
        #expect(unread.stderr.hasSuffix("：文件不存在\n"), "\(unread.stderr)")
        let unreachable = try await expectChinese(["enroll", "--server", "http://127.0.0.1:9", "--code", "X", "--name", "phone"], status: 1)
        #expect(unreachable.stderr.contains("无法连接服务器：连接被拒绝"), "\(unreachable.stderr)")

        let values = ["上海华科电子有限公司", "上海华科电子", "年度采购", "苏州", "上海", "不存在的客户", "nmae"]
        for (command, output) in outputs {
            #expect(EnglishProse.lines(in: output, values: values).isEmpty, "fieldsync \(command) prints English: \(EnglishProse.lines(in: output, values: values))")
        }

        // English is the default, and LC_ALL wins over LANG.
        let english = try await runCommand(try FieldSyncCLI.require(#_sourceLocation), ["list", "account", "--db", database])
        #expect(english.stdout.contains("NAME") && !english.stdout.contains("名称"), "\(english.stdout)")
        let overridden = try await runCommand(try FieldSyncCLI.require(#_sourceLocation), ["list", "account", "--db", database], environment: ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"])
        #expect(overridden.stdout == english.stdout)
    }

    /// Every command and subcommand of a command-line tool (`fieldsync`, `fieldsync-server`), as
    /// paths below the tool (the root is `[]`),
    /// read from the tree itself: each command's English `--help` lists its subcommands under
    /// `SUBCOMMANDS:` (or a group's `… SUBCOMMANDS:`), two spaces in, one per line, with its
    /// aliases after a comma.
    static func commandTree(_ executable: URL, below path: [String] = []) async throws -> [[String]] {
        // A word that is not a subcommand shows its parent's help again: stop rather than loop.
        try #require(path.count <= 3, "the command tree is deeper than fieldsync's: \(path)")
        let help = try await runCommand(executable, path + ["--help"])
        var children: [String] = [], inSubcommands = false
        for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("SUBCOMMANDS:") { inSubcommands = true; continue }
            if line.isEmpty { inSubcommands = false; continue }
            guard inSubcommands, line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            // "  name", "  name (default)" or "  name, alias", then its abstract.
            if let name = line.split(separator: " ").first { children.append(String(name.trimmingCharacters(in: [","]))) }
        }
        var tree = [path]
        for child in children { tree += try await commandTree(executable, below: path + [child]) }
        return tree
    }

    /// Every command of `tree` prints its `--help` in Chinese under `LANG=zh_CN.UTF-8`, with no
    /// English prose, and in English without it.
    static func expectHelpInBothLanguages(_ executable: URL, _ tree: [[String]]) async throws {
        for command in tree {
            let help = try await runCommand(executable, command + ["--help"], environment: chinese)
            #expect(help.status == 0, "\(command): \(help.stderr)")
            #expect(help.stdout.contains("用法：") && help.stdout.contains("显示帮助信息。"), "\(command): \(help.stdout)")
            #expect(EnglishProse.lines(in: help.stdout).isEmpty, "\(executable.lastPathComponent) \(command.joined(separator: " ")) --help prints English: \(EnglishProse.lines(in: help.stdout))")
            let english = try await runCommand(executable, command + ["--help"])
            #expect(english.stdout.contains("USAGE:") && !english.stdout.contains("用法"), "\(command): \(english.stdout)")
        }
    }

    @Test("the help of every command and subcommand, and the parser's usage errors, read in Chinese")
    func helpInChinese() async throws {
        let executable = try FieldSyncCLI.require(#_sourceLocation)
        let tree = try await Self.commandTree(executable)
        // The tree is the real one: every group of the root and the nested workflow commands.
        for path in [["visit", "plan"], ["order", "create"], ["quote", "add-line"], ["invoice", "pay"], ["points", "redeem"], ["ticket", "callback"], ["report"], ["import-csv"], ["admin", "merge-duplicates"]] {
            #expect(tree.contains(path), "\(path) is not in the command tree: \(tree)")
        }
        try await Self.expectHelpInBothLanguages(executable, tree)
        // The parser's own usage errors: a missing argument, an unknown option, a value of the
        // wrong type, a value not among the choices, a missing value, one argument too many, a mistyped option.
        let errors: [(arguments: [String], start: String)] = [
            (["list", "account", "--limit", "0"], "错误：--limit 至少为 1"),
            (["show"], "错误：缺少参数 '<entity>'"),
            (["list", "account", "--bogus"], "错误：未知选项 '--bogus'"),
            (["list", "account", "--limit", "many"], "错误：值 'many' 对 '--limit <limit>' 无效"),
            (["list", "account", "--limit"], "错误：'--limit <limit>' 缺少值"),
            (["delete", "account", "x", "y"], "错误：多余的参数 'y'"),
            (["export", "--format", "xml"], "错误：值 'xml' 对 '--format <format>' 无效。请给出 'json' 或 'csv'。"),
            (["list", "account", "--limt", "3"], "错误：未知选项 '--limt'。您是不是要输入 '--limit'？"),
        ]
        for (arguments, start) in errors {
            let usage = try await runCommand(executable, arguments, environment: Self.chinese)
            #expect(usage.status == 2, "\(arguments): \(usage.stderr)")
            #expect(usage.stderr.hasPrefix(start), "\(arguments): \(usage.stderr)")
            #expect(EnglishProse.lines(in: usage.stderr).isEmpty, "\(arguments) prints English: \(EnglishProse.lines(in: usage.stderr))")
        }
        let mistyped = try await runCommand(executable, ["lst"], environment: Self.chinese)
        #expect(mistyped.status == 2 && mistyped.stderr.contains("您是不是要输入 'fieldsync list'？"), "\(mistyped.stderr)")
    }

    @Test("the admin's tool fieldsync-server speaks Chinese too: every command's help, its usage errors, what it prints for a person and its refusals; machine-read output stays")
    func serverToolInChinese() async throws {
        let server = try Executables.url("fieldsync-server")
        let tree = try await Self.commandTree(server)
        for path in [[], ["serve"], ["user", "add"], ["user", "set"], ["territory", "remove"], ["device", "wipe"], ["compact"], ["import"]] {
            #expect(tree.contains(path), "\(path) is not in fieldsync-server's command tree: \(tree)")
        }
        try await Self.expectHelpInBothLanguages(server, tree)

        let scratch = try Scratch()
        defer { scratch.remove() }
        let database = scratch.path("server.sqlite")
        let added = try await runCommand(server, ["user", "add", "bob", "--role", "rep", "--territory", "east", "--db", database], environment: Self.chinese)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("注册码："), "\(added.stdout)")
        #expect(EnglishProse.lines(in: added.stdout).isEmpty, "user add prints English: \(added.stdout)")
        // The code itself is printed as it is, in either language.
        let code = try #require(added.stdout.split(separator: "\n").last?.split(separator: "：").last.map(String.init))
        #expect(!code.isEmpty && code.allSatisfy(\.isASCII), "\(added.stdout)")
        let english = try await runCommand(server, ["user", "code", "bob", "--db", database])
        #expect(english.status == 0 && english.stdout.hasPrefix("enrollment code: "), "\(english.stdout)")

        // A refusal keeps its stable code, its sentence in Chinese; a usage error too.
        let refused = try await runCommand(server, ["user", "code", "nobody", "--db", database], environment: Self.chinese)
        #expect(refused.status == 1 && refused.stderr.hasPrefix("错误："), "\(refused.stderr)")
        #expect(EnglishProse.lines(in: refused.stderr, values: ["nobody"]).isEmpty, "a refusal prints English: \(refused.stderr)")
        let usage = try await runCommand(server, ["user", "add", "carol", "--role", "boss", "--db", database], environment: Self.chinese)
        #expect(usage.status == 64 && usage.stderr.hasPrefix("错误："), "\(usage.stderr)")  // EX_USAGE, as the parser exits
        #expect(EnglishProse.lines(in: usage.stderr).isEmpty, "a usage error prints English: \(usage.stderr)")

        // What scripts read stays as it is: the territory list's tab-separated lines.
        let territory = try await runCommand(server, ["territory", "add", "华东", "--code", "east", "--db", database], environment: Self.chinese)
        #expect(territory.status == 0 && EnglishProse.lines(in: territory.stdout).isEmpty, "\(territory.stdout)\(territory.stderr)")
        let list = try await runCommand(server, ["territory", "list", "--db", database], environment: Self.chinese)
        #expect(list.stdout == "east\t华东\n", "\(list.stdout)")
    }

    @Test("fieldsync demo narrates in Chinese: every line it prints for a person, the records' names and ids as they are")
    func demoInChinese() async throws {
        let demo = try await runCommand(
            try FieldSyncCLI.require(#_sourceLocation),
            ["demo", "--seed", "7", "--server-executable", try Executables.url("fieldsync-server").path,
             "--fixtures", Executables.packageRoot.appendingPathComponent("fixtures/crm-demo.json").path],
            environment: Self.chinese
        )
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        for heading in ["1. 服务器", "2. 三名销售代表", "3. 离线修改", "4. 按随机顺序同步", "5. 收敛后的状态", "6. 待管理员处理的冲突", "全部 3 台设备已收敛。"] {
            #expect(demo.stdout.contains(heading), "no '\(heading)' in: \(demo.stdout)")
        }
        // The records' names, titles and tags stay as the data set has them (some are English).
        let fixtures = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Executables.packageRoot.appendingPathComponent("fixtures/crm-demo.json"))) as? [String: Any]
        )
        var values = ["crm-demo.json"]
        for record in fixtures["records"] as? [[String: Any]] ?? [] {
            let fields = record["fields"] as? [String: Any] ?? [:]
            values += ["name", "title"].compactMap { fields[$0] as? String } + (fields["tags"] as? [String] ?? [])
        }
        values.sort { $0.count > $1.count }  // a longer name first, before a shorter one inside it
        #expect(EnglishProse.lines(in: demo.stdout + demo.stderr, values: values).isEmpty, "fieldsync demo prints English: \(EnglishProse.lines(in: demo.stdout + demo.stderr, values: values))")
    }

    @Test("fieldsync-server serve refuses a bad configuration in Chinese, naming the variable or option and the value as typed")
    func configurationErrorsInChinese() async throws {
        let server = try Executables.url("fieldsync-server")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cases: [([String], [String: String], String)] = [
            (["serve", "--db", scratch.path("a.sqlite")], ["FIELDSYNC_PORT": "http"], "错误：FIELDSYNC_PORT：'http' 不是端口号（0-65535）"),
            (["serve", "--db", scratch.path("b.sqlite"), "--shutdown-grace", "soon"], [:], "错误：--shutdown-grace：'soon' 不是超时时间"),
            (["serve", "--db", scratch.path("c.sqlite"), "--max-clock-skew=-1"], [:], "错误：--max-clock-skew：'-1' 不是秒数"),
        ]
        for (arguments, environment, start) in cases {
            let result = try await runCommand(server, arguments, environment: Self.chinese.merging(environment) { $1 })
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix(start), "\(arguments): \(result.stderr)")
            #expect(EnglishProse.lines(in: result.stderr).isEmpty, "\(arguments) prints English: \(EnglishProse.lines(in: result.stderr))")
        }
        let english = try await runCommand(server, ["serve", "--db", scratch.path("d.sqlite")], environment: ["FIELDSYNC_PORT": "http"])
        #expect(english.stderr.hasPrefix("Error: FIELDSYNC_PORT: 'http' is not a port number (0-65535)"), "\(english.stderr)")
    }

    @Test("a sync says what it pushed and pulled in Chinese")
    func syncInChinese() async throws {
        let cluster = try await LiveCluster.start(label: "sync-zh", deviceCount: 1, seed: 15)
        defer { cluster.tearDown() }
        let client = cluster.client, device = cluster.devices[0]
        let created = try await runCommand(client, ["create", "account", "name=杭州恒信科技", "territory=east", "--db", device], environment: Self.chinese)
        #expect(created.status == 0, "\(created.stderr)")
        let synced = try await runCommand(client, ["sync", "--db", device], environment: Self.chinese)
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("推送 1 个：接受 1 个"), "\(synced.stdout)")
        #expect(EnglishProse.lines(in: synced.stdout + synced.stderr).isEmpty, "\(synced.stdout)")
        let status = try await runCommand(client, ["status", "--db", device], environment: Self.chinese)
        #expect(EnglishProse.lines(in: status.stdout, values: ["杭州恒信科技"]).isEmpty, "\(status.stdout)")
    }

    @Test("a refusal from the server reads in the CLI's language with its code: the CLI sends its language as Accept-Language")
    func serverRefusalInChinese() async throws {
        let cluster = try await LiveCluster.start(label: "refusal-zh", deviceCount: 1, seed: 16)
        defer { cluster.tearDown() }
        let fresh = cluster.directory.path("fresh.sqlite")
        let expected = [
            (Self.chinese, "错误：注册码不存在或已被使用；请向管理员索取新的注册码 (HTTP 401, invalid_enrollment_code)"),
            (["LANG": "C"], "error: the enrollment code is unknown or was already used; ask an admin for a new one (HTTP 401, invalid_enrollment_code)"),
        ]
        for (environment, line) in expected {
            let result = try await runCommand(
                cluster.client, ["enroll", "--server", cluster.proxy.url.absoluteString, "--code", "NOT-A-CODE", "--name", "phone", "--db", fresh],
                environment: environment
            )
            #expect(result.status != 0)
            #expect(result.stderr.contains(line), "\(environment): \(result.stderr)")
        }
    }
}
