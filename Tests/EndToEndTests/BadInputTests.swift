import Foundation
import SyncCore
import Testing

/// Every bad input a new user might try: a clear one-line error on stderr, a non-zero exit,
/// and the store exactly as it was.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// 1 for a refused input, 2 for a usage error.
        var status: Int32
        var arguments: @Sendable (DemoDevice.Base) -> [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown entity", status: 1) { _ in ["create", "customer", "name=x"] },
        Case(name: "unknown entity in list", status: 1) { _ in ["list", "acounts"] },
        Case(name: "unknown field", status: 1) { base in ["edit", "account", base.account, "nam=上海"] },
        Case(name: "unknown field in a filter", status: 1) { _ in ["list", "account", "--where", "colour=red"] },
        Case(name: "wrong type: decimal", status: 1) { base in ["edit", "opportunity", base.proposalOpportunity, "amount=abc"] },
        Case(name: "wrong type: integer", status: 1) { base in ["edit", "opportunity", base.proposalOpportunity, "probability=high"] },
        Case(name: "wrong type: date", status: 1) { base in ["create", "contact", "account=\(base.account)", "name=李四", "birthday=1990-02-30"] },
        Case(name: "value not in the enum", status: 1) { base in ["edit", "account", base.account, "lifecycle=Z"] },
        Case(name: "invalid stage jump", status: 1) { base in ["opportunity", "stage", base.qualificationOpportunity, "won"] },
        Case(name: "invalid stage jump by edit", status: 1) { base in ["edit", "opportunity", base.qualificationOpportunity, "stage=negotiation"] },
        Case(name: "lost without a reason", status: 1) { base in ["opportunity", "stage", base.qualificationOpportunity, "lost"] },
        Case(name: "invalid ticket move", status: 1) { base in ["ticket", "close", base.openTicket] },
        Case(name: "missing required field", status: 1) { _ in ["create", "contact", "name=张三"] },
        Case(name: "an empty required field", status: 1) { base in ["edit", "account", base.account, "name="] },
        Case(name: "an empty required field on creation", status: 1) { _ in ["create", "account", "name=", "territory=east"] },
        Case(name: "clearing a required field", status: 1) { base in ["edit", "account", base.account, "--clear", "name"] },
        Case(name: "malformed id", status: 1) { _ in ["show", "account", "xyz!"] },
        Case(name: "malformed id in an edit", status: 1) { _ in ["edit", "account", "not-an-id", "tier=A"] },
        Case(name: "malformed reference", status: 1) { _ in ["create", "contact", "account=??", "name=x"] },
        Case(name: "id not on the device", status: 1) { _ in ["delete", "account", "ffffffff"] },
        Case(name: "unknown reference", status: 1) { _ in ["create", "contact", "account=00000000-0000-4000-8000-000000000000", "name=x"] },
        Case(name: "visit for an account not on the device", status: 1) { _ in ["visit", "log", "--account", "00000000-0000-4000-8000-000000000000"] },
        Case(name: "read-only entity", status: 1) { _ in ["create", "product", "sku=X-1", "name=Y", "unit_price=1"] },
        Case(name: "tag not on the account", status: 1) { base in ["tag", "remove", base.account, "no-such-tag"] },
        Case(name: "importing the same records twice", status: 1) { _ in ["import", FieldSyncCLI.packageRoot.appendingPathComponent("fixtures/crm-demo.json").path] },
        Case(name: "import of a missing file", status: 1) { _ in ["import", "no/such/file.json"] },
        Case(name: "control characters in text", status: 1) { base in ["edit", "account", base.account, "name=bell\u{07}\u{1B}[31mred"] },
        Case(name: "control characters echoed in an error", status: 1) { base in ["edit", "account", base.account, "lifecycle=\u{1B}[31mZ\u{07}"] },
        Case(name: "control character in a tag", status: 1) { base in ["tag", "add", base.account, "\u{1B}[2J"] },
        Case(name: "a stamp a workflow owns, by a rep's plain edit", status: 1) { base in ["edit", "opportunity", base.proposalOpportunity, "closed_on=2026-01-01"] },
        Case(name: "usage: not field=value", status: 2) { _ in ["create", "account", "name"] },
        Case(name: "usage: missing id", status: 2) { _ in ["delete", "account"] },
        Case(name: "usage: unknown option", status: 2) { _ in ["list", "account", "--colour", "red"] },
    ]

    @Test(arguments: cases)
    func refusedWithOneLineAndNothingChanged(_ testCase: Case) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        // The records, the outbox and what `fieldsync status` reports, read from the store.
        let before = try await DemoDevice.contents.value

        let output = try await cli.run(testCase.arguments(base))
        #expect(output.status == testCase.status, "stderr: \(output.stderr)")
        // What a terminal would act on is shown escaped, never written raw.
        #expect(!(output.stdout + output.stderr).unicodeScalars.contains { ControlCharacters.isRefused($0) && $0 != "\r" }, "\(output.stderr)")
        if testCase.status == 1 {
            #expect(output.errorLines.count == 1, "stderr: \(output.stderr)")
            #expect(output.stderr.hasPrefix("error: "))
            #expect(output.stdout.isEmpty, "stdout: \(output.stdout)")
        } else {
            #expect(output.stderr.hasPrefix("Error: "))
        }

        #expect(try StoreContents(path: base.path) == before)
    }

    @Test func aMissingStoreIsAOneLineError() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cli = FieldSyncCLI(database: scratch.path("missing/device.sqlite"))
        let output = try await cli.run(["status"])
        #expect(output.status == 1)
        #expect(output.errorLines.count == 1)
        #expect(output.stderr.contains("fieldsync init"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("missing/device.sqlite")))
    }
}
