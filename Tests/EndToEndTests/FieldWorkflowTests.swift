import Foundation
import SyncCore
import Testing

/// The offline workflow of the issue, through the real executable: import the fixtures, edit an
/// opportunity, log a visit, tag an account, and find all of it in `status` and `history`.
@Suite(.serialized) struct FieldWorkflowTests {
    @Test func importEditVisitTagShowUpInStatusAndHistory() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)

        let initial = try await cli.json(["status"])
        #expect(initial["unsyncedChanges"].int == base.importedChanges)

        try await cli.succeed(["opportunity", "stage", String(base.proposalOpportunity.prefix(12)), "negotiation", "--amount", "150000.50"])
        let visit = try await cli.json(["visit", "log", "--account", base.account, "--type", "call", "--outcome", "同意下周见面 agreed to meet", "--next-follow-up", "+7d"])
        let visitID = try #require(visit["id"].string)
        try await cli.succeed(["tag", "add", base.account, "e2e-重点"])

        let status = try await cli.json(["status"])
        #expect(status["unsyncedChanges"].int == base.importedChanges + 3)
        #expect(status["records"]["activity"].int == (initial["records"]["activity"].int ?? 0) + 1)
        #expect(status["rejectedChanges"].array?.isEmpty == true)
        #expect(status["replica"].string?.count == 36)

        let opportunityHistory = try await cli.json(["history", "opportunity", base.proposalOpportunity])
        let last = opportunityHistory.array?.last
        #expect(opportunityHistory.array?.count == 2)
        #expect(last["origin"].string == "local")
        #expect(last["thisDevice"] as? Bool == true)
        #expect(last["fields"]["stage"]["old"].string == "proposal")
        #expect(last["fields"]["stage"]["new"].string == "negotiation")
        #expect(last["fields"]["amount"]["new"].string == "150000.5")
        #expect(last["fields"]["probability"]["new"].int == 75)  // derived by the CRM rules
        // The text form groups the amount's digits; JSON (above) and CSV keep the plain decimal.
        let shown = try await cli.run(["show", "opportunity", base.proposalOpportunity]).stdout
        #expect(shown.contains("150,000.5"), "show prints amounts grouped by thousands: \(shown)")
        let csv = try await cli.run(["export", "opportunity", "--format", "csv", "--fields", "amount"]).stdout
        #expect(csv.contains("150000.5") && !csv.contains("150,000.5"))

        let accountHistory = try await cli.json(["history", "account", base.account])
        let tags = accountHistory.array?.last
        #expect((tags["fields"]["tags"]["new"].array as? [String])?.contains("e2e-重点") == true)

        let visitHistory = try await cli.json(["history", "activity", visitID])
        #expect(visitHistory.array?.count == 1)
        #expect(visitHistory[0]["fields"]["outcome"]["new"].string == "同意下周见面 agreed to meet")

        // The account page shows the visit and the tag; follow-ups in a week list the visit.
        let account = try await cli.json(["show", "account", String(base.account.prefix(8))])
        #expect((account["fields"]["tags"].array as? [String])?.contains("e2e-重点") == true)
        let recent = account["children"]["recentVisits"].array?.compactMap { ($0 as Any?)["id"].string } ?? []
        #expect(recent.contains(visitID))
        let followUps = try await cli.json(["followups", "--date", "+7d"]).array ?? []
        #expect(followUps.contains { ($0 as Any?)["id"].string == visitID })

        // Human output works too, and aligns Chinese names.
        let text = try await cli.succeed(["status"])
        #expect(text.contains("unsynced changes  \(base.importedChanges + 3)"))
    }

    @Test func createWarnsOfAProbableDuplicateOnTheDevice() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        let existing = try await cli.json(["show", "account", base.account])
        let name = try #require(existing["fields"]["name"].string)
        let phone = try #require(existing["fields"]["phone"].string)
        // The same phone typed another way: spaces and a country code.
        let twin = try await cli.run(["create", "account", "name=新客户 E2E", "territory=east", "phone=+86 \(phone.filter(\.isNumber).drop { $0 == "0" })"])
        #expect(twin.status == 0, "the record is created all the same: \(twin.stderr)")
        #expect(twin.stderr.contains("warning: probable_duplicate: probable duplicate of account \(name) (\(base.account.prefix(8))): same phone"), "\(twin.stderr)")
        // --json carries the warning with its stable code and the record it names; the record is created.
        let email = try #require(existing["fields"]["email"].string)
        let json = try await cli.run(["create", "account", "name=另一个新客户 E2E", "territory=east", "email=\(email.uppercased())", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let created = try JSONValues.object(json.stdout)
        #expect(JSONValues.string(created, ["warnings", 0, "code"]) == "probable_duplicate", "\(json.stdout)")
        #expect(JSONValues.string(created, ["warnings", 0, "message"])?.contains("same e-mail \(email.lowercased())") == true, "\(json.stdout)")
        #expect(JSONValues.string(created, ["warnings", 0, "duplicateOf"]).map(RecordIDs.isValid) == true)
        #expect(JSONValues.string(created, ["fields", "name"]) == "另一个新客户 E2E")
        let alone = try await cli.run(["create", "account", "name=完全不同的客户 E2E", "territory=east", "phone=0999-1234 5678", "--json"])
        #expect(alone.status == 0)
        #expect(alone.stderr.isEmpty, "\(alone.stderr)")
        #expect(JSONValues.value(try JSONValues.object(alone.stdout), ["warnings"]) == nil)
    }

    @Test func ordersTicketsAndPoints() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, base) = try await DemoDevice.copy(into: scratch)
        let order = try await cli.json(["create", "order", "account=\(base.account.prefix(10))", "status=draft", "number=SO-E2E-1"])
        let orderID = try #require(order["id"].string)
        let products = try await cli.json(["list", "product", "--where", "active=true", "--limit", "1"])
        let sku = try #require(products[0]["fields"]["sku"].string)
        let price = try #require(products[0]["fields"]["unit_price"].string)
        let added = try await cli.json(["order", "add-line", orderID, "--product", sku, "--quantity", "2"])
        #expect(added.array?.count == 2)
        let shown = try await cli.json(["show", "order", orderID])
        #expect(shown["children"]["lines"].array?.count == 1)
        #expect(Decimal(string: shown["fields"]["total"].string ?? "") == 2 * (Decimal(string: price) ?? 0))
        // The text form names the account the order belongs to, next to its id.
        let account = try await cli.json(["show", "account", base.account])
        let accountName = try #require(account["fields"]["name"].string)
        let orderText = try await cli.run(["show", "order", orderID]).stdout
        let accountLine = try #require(orderText.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("account ") })
        #expect(accountLine.contains(base.account) && accountLine.contains("(\(accountName))"), "\(accountLine)")

        try await cli.succeed(["ticket", "ack", base.openTicket])
        try await cli.succeed(["ticket", "start", base.openTicket])
        let resolved = try await cli.json(["ticket", "resolve", base.openTicket, "--resolution", "已更换 replaced"])
        #expect(resolved["fields"]["status"].string == "resolved")
        #expect(resolved["fields"]["resolved_at"].string != nil)

        let before = try await cli.json(["points", "balance", base.account])["balance"].int ?? 0
        try await cli.succeed(["points", "add", base.account, "100"])
        // Offline with no escrow granted: a redemption is refused, and says what may be redeemed.
        let refused = try await cli.run(["points", "subtract", base.account, "30"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("loyalty_escrow_exceeded: this device may redeem 0 of the account's \(before + 100) points"), "\(refused.stderr)")
        let balance = try await cli.json(["points", "balance", base.account])
        #expect(balance["balance"].int == before + 100)
        #expect(balance["escrow"].int == 0)
        let history = try await cli.succeed(["points", "history", base.account])
        #expect(history.contains("earn") && history.contains("this device may redeem 0 offline"), "\(history)")
        let accountText = try await cli.succeed(["show", "account", base.account])
        #expect(accountText.contains("loyalty: \(before + 100) points, level "), "\(accountText)")
    }

    @Test func exportedRecordsImportIntoAnotherDevice() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let exported = try await cli.succeed(["export", "all"])
        let file = scratch.path("export.json")
        try Data(exported.utf8).write(to: URL(fileURLWithPath: file))
        let other = FieldSyncCLI(database: scratch.path("other.sqlite"))
        try await other.succeed(["init"])
        try await other.succeed(["import", file])
        let otherRecords = try await other.json(["status"])["records"] as? [String: Int]
        let records = try await cli.json(["status"])["records"] as? [String: Int]
        #expect(otherRecords != nil && otherRecords == records)
        let csv = try await cli.succeed(["export", "account", "--format", "csv"])
        #expect(csv.split(separator: "\r\n").count == 204)
    }
}
