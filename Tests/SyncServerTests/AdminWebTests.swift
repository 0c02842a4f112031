import FieldSyncTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

@Suite("Admin web page, metrics and the conflict-log migration")
struct AdminWebTests {
    /// Signs in through the login form with a fresh one-time code of `admin` and returns the
    /// session cookie.
    static func signIn(_ client: some TestClientProtocol, _ fixture: ServerFixture, as admin: String) async throws -> String {
        let code = try await fixture.accounts.issueEnrollmentCode(for: admin)
        let response = try await client.postForm("/admin/login", ["code": code])
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/admin/conflicts")
        let header = try #require(response.headers[.setCookie])
        #expect(header.contains("HttpOnly"))
        #expect(header.contains("SameSite=Strict"))
        #expect(header.contains("Path=/admin"))
        #expect(!header.contains(code), "the code never goes back to the browser")
        return try #require(sessionCookie(response))
    }

    static func csrf(in html: String) throws -> String {
        let marker = #"name="csrf" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        let end = try #require(html[start...].firstIndex(of: "\""))
        return String(html[start..<end])
    }

    @Test("login takes a one-time code of an admin, once; refuses bad codes, tokens and reps' codes; pages need a session", arguments: StorageBackend.all)
    func login(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let rep = try await fixture.enroll("alice")
                let anonymous = try await client.getPage("/admin/conflicts", cookie: nil)
                #expect(anonymous.status == .seeOther)
                #expect(anonymous.headers[.location] == "/admin/login")
                let form = try await client.getPage("/admin/login", cookie: nil)
                #expect(form.status == .ok)
                #expect(String(buffer: form.body).contains(#"type="password""#))
                #expect(form.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                let bad = try await client.postForm("/admin/login", ["code": "nope"])
                #expect(bad.status == .unauthorized)
                #expect(bad.headers[.setCookie] == nil)
                // A device token is not a sign-in: nothing to copy out of a device store.
                let root = try await fixture.enroll("root", role: .admin, territories: [])
                let token = try await client.postForm("/admin/login", ["code": root.token])
                #expect(token.status == .unauthorized)
                let repCode = try await fixture.accounts.issueEnrollmentCode(for: "alice")
                let repLogin = try await client.postForm("/admin/login", ["code": repCode])
                #expect(repLogin.status == .forbidden)
                #expect(String(buffer: repLogin.body).contains("admin role"))
                #expect(rep.token != repCode)
                // A code works once; the sign-in is a device of its own, listed and revocable.
                let code = try await fixture.accounts.issueEnrollmentCode(for: "root")
                let first = try await client.postForm("/admin/login", ["code": code])
                #expect(first.status == .seeOther)
                let again = try await client.postForm("/admin/login", ["code": code])
                #expect(again.status == .unauthorized)
                let devices = try await fixture.storage.devices()
                let web = devices.filter { $0.user.name == "root" && $0.name == "admin web sign-in" }
                #expect(web.count == 1)
                #expect(devices.contains { $0.user.name == "alice" && $0.name == "admin web sign-in" && $0.isRevoked })
                let cookie = try #require(sessionCookie(first))
                #expect(try await client.getPage("/admin/conflicts", cookie: cookie).status == .ok)
                try await fixture.accounts.revokeDevice(try #require(web.first).replica)
                #expect(try await client.getPage("/admin/conflicts", cookie: cookie).status == .seeOther, "revoking the sign-in's device ends the session")
                let forged = try await client.getPage("/admin/conflicts", cookie: "fieldsync_admin=forged")
                #expect(forged.status == .seeOther)
            }
        }
    }

    @Test("list, filter, open, resolve with the CSRF token, read the history, sign out", arguments: StorageBackend.all)
    func resolveThroughThePage(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let cookie = try await Self.signIn(client, fixture, as: "root")
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)

                let list = try await client.getPage("/admin/conflicts", cookie: cookie)
                #expect(list.status == .ok)
                let listHTML = String(buffer: list.body)
                #expect(listHTML.contains("Acme Tea"))
                #expect(listHTML.contains("021-5555-0199"))
                #expect(listHTML.contains(#"id="conflict-\#(entry.id)""#))
                let filtered = String(buffer: try await client.getPage("/admin/conflicts?kind=delete_vs_edit", cookie: cookie).body)
                #expect(!filtered.contains(#"id="conflict-\#(entry.id)""#))
                #expect(filtered.contains("No conflicts match"))

                let detail = try await client.getPage("/admin/conflicts/\(entry.id)", cookie: cookie)
                let html = String(buffer: detail.body)
                #expect(html.contains("alice"))
                #expect(html.contains("bob"))
                #expect(html.contains("Keep this value"))
                let csrf = try Self.csrf(in: html)
                let bobs = try #require(entry.competitors.first { $0.value == .string("021-5555-0199") })
                let fields = ["action": "choose", "sibling": "\(bobs.dot.replica.rawValue):\(bobs.dot.counter)"]

                let stale = try await client.postForm("/admin/conflicts/\(entry.id)/resolve", fields.merging(["csrf": "wrong"]) { $1 }, cookie: cookie)
                #expect(stale.status == .forbidden)
                #expect(try await fixture.storage.conflicts(openOnly: true).count == 1)

                let resolved = try await client.postForm("/admin/conflicts/\(entry.id)/resolve", fields.merging(["csrf": csrf]) { $1 }, cookie: cookie)
                #expect(resolved.status == .seeOther)
                #expect(resolved.headers[.location] == "/admin/conflicts/\(entry.id)?done=resolved")
                let after = String(buffer: try await client.getPage("/admin/conflicts/\(entry.id)?done=resolved", cookie: cookie).body)
                #expect(after.contains("resolved by admin"))
                #expect(after.contains("Resolved. Devices receive the resolution"))
                // The page shows the outcome, who chose it, and marks the other value rejected.
                #expect(after.contains(#"<dd id="outcome">021-5555-0199 · chosen by root"#))
                #expect(!after.contains(#"<span class="badge shown">displayed</span>"#))
                #expect(after.components(separatedBy: #"<span class="badge kept">kept</span>"#).count == 2)
                #expect(after.components(separatedBy: #"<span class="badge rejected">rejected</span>"#).count == 2)
                let resolvedList = String(buffer: try await client.getPage("/admin/conflicts?status=all", cookie: cookie).body)
                #expect(resolvedList.contains(#"<span class="value winner">021-5555-0199</span>"#))
                #expect(resolvedList.contains(#"<span class="value rejected">021-5555-0100</span>"#))
                try await client.syncUntilDone(&scenario.alice)
                #expect(scenario.alice.record("account", scenario.account)?.value(of: "phone") == .string("021-5555-0199"))

                let history = try await client.getPage("/admin/records/account/\(scenario.account)/history", cookie: cookie)
                let historyHTML = String(buffer: history.body)
                #expect(history.status == .ok)
                #expect(historyHTML.contains("root"))
                #expect(historyHTML.contains("server"))
                #expect(historyHTML.contains("021-5555-0100"))

                let css = try await client.getPage("/admin/static/admin.css", cookie: nil)
                #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)

                let logout = try await client.postForm("/admin/logout", ["csrf": csrf], cookie: cookie)
                #expect(logout.status == .seeOther)
                #expect(try await client.getPage("/admin/conflicts", cookie: cookie).status == .seeOther)
            }
        }
    }

    @Test("a duplicate pair merges field by field: differences highlighted with the newer value picked, identical rows quiet", arguments: StorageBackend.all)
    func fieldByFieldMerge(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                _ = try await fixture.enroll("root", role: .admin, territories: [])
                let older = newRecordID(), newer = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [
                    try alice.write("account", older, accountFields(name: "苏州华科") + [.set("phone", "0512-6666-0001"), .set("city", "苏州")])
                ])
                try await client.syncUntilDone(&bob, pushing: [
                    try bob.write("account", newer, accountFields(name: "苏州华科") + [.set("phone", "0512 6666 0001"), .set("city", "苏州市"), .set("email", "buy@hk.cn")])
                ])
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                #expect(entry.key.kind == .probableDuplicate)
                let cookie = try await Self.signIn(client, fixture, as: "root")
                let html = String(buffer: try await client.getPage("/admin/conflicts/\(entry.id)", cookie: cookie).body)
                #expect(html.contains(#"id="merge-form""#))
                #expect(html.contains(#"<tr class="same" id="merge-name"><th>name</th><td>苏州华科</td><td>苏州华科</td></tr>"#))
                #expect(html.contains(#"<tr class="same" id="merge-territory">"#))
                // The page lists the entry's record (bob's, newer) on the left.
                #expect(html.contains(#"<input type="radio" name="keep.city" value="\#(newer)" checked> 苏州市"#), "the newer non-empty value is picked")
                #expect(html.contains(#"<input type="radio" name="keep.city" value="\#(older)"> 苏州"#))
                #expect(html.contains(#"<input type="radio" name="survivor" value="\#(older)" id="survivor-right" checked>"#), "the record created first stays")
                let csrf = try Self.csrf(in: html)
                let merged = try await client.postForm(
                    "/admin/conflicts/\(entry.id)/resolve",
                    ["csrf": csrf, "action": "merge", "survivor": older, "keep.city": older, "keep.phone": newer, "keep.email": newer],
                    cookie: cookie
                )
                #expect(merged.status == .seeOther)
                let record = try #require(try await fixture.storage.record(entity: "account", id: older))
                #expect(record.value(of: "city") == .string("苏州"), "the admin kept the older city")
                #expect(record.value(of: "phone") == .string("0512 6666 0001"))
                #expect(record.value(of: "email") == .string("buy@hk.cn"))
                let twin = try #require(try await fixture.storage.record(entity: "account", id: newer))
                #expect(twin.isDeleted(policy: .updateWins))
                let after = String(buffer: try await client.getPage("/admin/conflicts/\(entry.id)", cookie: cookie).body)
                #expect(after.contains("merged 苏州华科 into 苏州华科"))
                #expect(!after.contains(#"id="merge-form""#), "a merged pair offers no second merge")
            }
        }
    }

    @Test("many duplicate pairs merge at once from the list with the suggested values", arguments: StorageBackend.all)
    func bulkMerge(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                _ = try await fixture.enroll("root", role: .admin, territories: [])
                var older: [RecordID] = [], newer: [RecordID] = []
                for index in 0..<3 {
                    let first = newRecordID(), second = newRecordID()
                    try await client.syncUntilDone(&alice, pushing: [try alice.write("account", first, accountFields(name: "客户\(index)") + [.set("phone", "1380000000\(index)")])])
                    try await client.syncUntilDone(&bob, pushing: [
                        try bob.write("account", second, accountFields(name: "客户\(index)") + [.set("phone", "138 0000 000\(index)"), .set("email", "c\(index)@x.cn")])
                    ])
                    older.append(first)
                    newer.append(second)
                }
                let entries = try await fixture.storage.conflicts(openOnly: true).sorted { $0.id < $1.id }
                #expect(entries.count == 3)
                let cookie = try await Self.signIn(client, fixture, as: "root")
                let html = String(buffer: try await client.getPage("/admin/conflicts?kind=probable_duplicate", cookie: cookie).body)
                for entry in entries { #expect(html.contains(#"name="merge.\#(entry.id)""#)) }
                let csrf = try Self.csrf(in: html)
                let answer = try await client.postForm(
                    "/admin/conflicts/merge", ["csrf": csrf, "merge.\(entries[0].id)": "1", "merge.\(entries[2].id)": "1"], cookie: cookie
                )
                #expect(answer.status == .ok)
                #expect(String(buffer: answer.body).contains("Merged 2 of 2 selected pair(s)"))
                let statuses = Dictionary(uniqueKeysWithValues: try await fixture.storage.conflicts(openOnly: false).map { ($0.id, $0.status) })
                #expect(statuses[entries[0].id] == .resolvedByAdmin)
                #expect(statuses[entries[1].id] == .open, "an unselected pair stays")
                #expect(statuses[entries[2].id] == .resolvedByAdmin)
                for index in [0, 2] {
                    let survivor = try #require(try await fixture.storage.record(entity: "account", id: older[index]))
                    #expect(!survivor.isDeleted(policy: .updateWins), "the record created first stays")
                    #expect(survivor.value(of: "email") == .string("c\(index)@x.cn"))
                    #expect(try await fixture.storage.record(entity: "account", id: newer[index])?.isDeleted(policy: .updateWins) == true)
                }
                let stale = try await client.postForm("/admin/conflicts/merge", ["csrf": "wrong", "merge.\(entries[1].id)": "1"], cookie: cookie)
                #expect(stale.status == .forbidden)
            }
        }
    }

    @Test("search by name, phone or id; territories from the log, letter case ignored; page count and size", arguments: StorageBackend.all)
    func searchAndFilters(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let token = scenario.admin.token
                func total(_ query: String) async throws -> Int {
                    try await client.admin(ConflictList.self, "/v1/admin/conflicts?\(query)", token: token).total
                }
                #expect(try await total("q=5555-0199") == 1, "a competing phone")
                #expect(try await total("q=aCmE") == 1, "the record's name, letter case ignored")
                #expect(try await total("q=\(scenario.account.prefix(8))") == 1, "an id prefix")
                #expect(try await total("q=nothing-like-it") == 0)
                #expect(try await total("q=%25") == 0, "% is a character, not a wildcard")
                #expect(try await total("territory=EAST") == 1)
                #expect(try await total("territory=west") == 0)
                let list = try await client.admin(ConflictList.self, "/v1/admin/conflicts?territory=west", token: token)
                #expect(list.byTerritory == ["east": 1], "the territories to pick from ignore the territory filter")
                let long = try await client.getJSON("/v1/admin/conflicts?q=\(String(repeating: "x", count: 201))", token: token)
                #expect(long.status == .badRequest)

                let cookie = try await Self.signIn(client, fixture, as: "root")
                let html = String(buffer: try await client.getPage("/admin/conflicts?q=5555&territory=EAST&limit=25", cookie: cookie).body)
                #expect(html.contains(#"id="filter-q" value="5555""#))
                #expect(html.contains(#"<option value="east" selected>east (1)</option>"#))
                #expect(html.contains(#"<option value="25" selected>25 per page</option>"#))
                #expect(html.contains("1 matching · page 1 of 1"))
                let none = String(buffer: try await client.getPage("/admin/conflicts?q=%E8%8B%8F%E5%B7%9E", cookie: cookie).body)
                #expect(none.contains("No conflicts match"), "?q=苏州 filters (nothing here is in 苏州)")
            }
        }
    }

    @Test("dashboard with counts and the pipeline chart; people page issues codes, revokes and wipes devices", arguments: StorageBackend.all)
    func dashboardAndPeople(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var scenario = try await ConcurrentPhoneScenario.make(fixture, client)
                let deal = newRecordID()
                try await client.syncUntilDone(&scenario.alice, pushing: [
                    try scenario.alice.write("opportunity", deal, [
                        .set("account", scenario.account), .set("title", "Tea kiosks"), .set("stage", "proposal"), .set("amount", "120000"),
                    ]),
                ])
                let cookie = try await Self.signIn(client, fixture, as: "root")
                let dashboard = try await client.getPage("/admin/dashboard", cookie: cookie)
                #expect(dashboard.status == .ok)
                let html = String(buffer: dashboard.body)
                #expect(html.contains(#"<a class="card tile" href="/admin/conflicts" id="tile-conflicts"><strong>1</strong> open conflicts</a>"#))
                #expect(html.contains(#"<strong>3</strong> users"#))
                #expect(html.contains(#"src="/admin/charts/pipeline.svg""#))
                #expect(html.contains("proposal"), "the pipeline report lists the deal's stage")
                let chart = try await client.getPage("/admin/charts/pipeline.svg", cookie: cookie)
                #expect(chart.status == .ok)
                #expect(chart.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
                #expect(String(buffer: chart.body).hasPrefix("<svg"))
                #expect(try await client.getPage("/admin/charts/nothing.svg", cookie: cookie).status == .notFound)
                #expect(try await client.getPage("/admin/charts/pipeline.svg", cookie: nil).status == .seeOther, "charts need a session")

                let people = String(buffer: try await client.getPage("/admin/people", cookie: cookie).body)
                #expect(people.contains(#"id="code-alice""#))
                let bobs = try #require(try await fixture.storage.devices().first { $0.user.name == "bob" })
                #expect(people.contains(#"action="/admin/devices/\#(bobs.replica.rawValue)/wipe""#))
                let csrf = try Self.csrf(in: people)

                let issued = try await client.postForm("/admin/users/alice/code", ["csrf": csrf], cookie: cookie)
                #expect(issued.status == .ok)
                let page = String(buffer: issued.body)
                let start = try #require(page.range(of: #"<p class="code" id="one-time-code"><code>"#)).upperBound
                let code = String(page[start...].prefix { $0 != "<" })
                let enrolled = try await fixture.accounts.enroll(EnrollRequest(code: code, replica: ReplicaID(), deviceName: "alice's tablet"))
                #expect(!enrolled.token.isEmpty, "the code on the page enrolls a device")
                #expect(try await client.postForm("/admin/users/nobody/code", ["csrf": csrf], cookie: cookie).status == .notFound)

                #expect(try await client.postForm("/admin/devices/\(bobs.replica.rawValue)/wipe", ["csrf": "stale"], cookie: cookie).status == .forbidden)
                let wiped = try await client.postForm("/admin/devices/\(bobs.replica.rawValue)/wipe", ["csrf": csrf], cookie: cookie)
                #expect(wiped.status == .seeOther)
                #expect(wiped.headers[.location] == "/admin/people?done=wipe")
                #expect(try await fixture.storage.devices().first { $0.replica == bobs.replica }?.isWiped == true)
                let alices = try #require(try await fixture.storage.devices().first { $0.user.name == "alice" && $0.name != "alice's tablet" })
                #expect(try await client.postForm("/admin/devices/\(alices.replica.rawValue)/revoke", ["csrf": csrf], cookie: cookie).status == .seeOther)
                #expect(try await fixture.storage.devices().first { $0.replica == alices.replica }?.isRevoked == true)
                #expect(try await client.postForm("/admin/devices/\(alices.replica.rawValue)/explode", ["csrf": csrf], cookie: cookie).status == .notFound)
            }
        }
    }

    @Test("text is escaped in pages", arguments: StorageBackend.all)
    func escaping(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                var bob = try await fixture.enroll("bob")
                _ = try await fixture.enroll("root", role: .admin, territories: [])
                let account = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "<script>alert(1)</script>"))])
                try await client.syncUntilDone(&bob)
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, [.set("notes", "<b>a</b>")])])
                try await client.syncUntilDone(&bob, pushing: [try bob.write("account", account, [.set("notes", "\"><img src=x>")])])
                let cookie = try await Self.signIn(client, fixture, as: "root")
                let entry = try #require(try await fixture.storage.conflicts(openOnly: true).first)
                for page in ["/admin/conflicts", "/admin/conflicts/\(entry.id)"] {
                    let html = String(buffer: try await client.getPage(page, cookie: cookie).body)
                    #expect(!html.contains("<script>alert"))
                    #expect(!html.contains("<img src=x>"))
                    #expect(html.contains("&lt;script&gt;") || page.hasSuffix("conflicts"))
                }
            }
        }
    }

    @Test("/metrics: open conflicts by entity and age, conflict rate, request counts and latencies", arguments: StorageBackend.all)
    func metrics(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                _ = try await ConcurrentPhoneScenario.make(fixture, client)
                let response = try await client.getPage("/metrics", cookie: nil)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"fieldsync_open_conflicts{entity="account",age="lt_1h"} 1"#))
                #expect(text.contains(#"fieldsync_open_conflicts{entity="contact",age="lt_1h"} 0"#))
                #expect(text.contains(#"fieldsync_conflict_log_entries{kind="concurrent_values",status="open"} 1"#))
                #expect(text.contains("fieldsync_logged_changes 3"))
                // One entry per three logged changes.
                #expect(text.contains("fieldsync_conflict_rate_per_1000_changes 333.33"))
                #expect(text.contains(#"fieldsync_http_requests_total{endpoint="/v1/sync",status="2xx"}"#))
                #expect(text.contains(#"fieldsync_http_request_duration_seconds_bucket{endpoint="/v1/sync",le="+Inf"}"#))
                #expect(text.contains("# TYPE fieldsync_http_request_duration_seconds histogram"))
            }
        }
    }

    @Test("a store made before the conflict log keeps its entries and gains the derived indexes")
    func migration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path
        let account = newRecordID()
        let contact = newRecordID()
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteServerStorage.migrator.migrate(queue, upTo: "v1")
            try await queue.write { db in
                var state = RecordState(entity: "account", id: account)
                let replica = ReplicaID()
                state = try state.merging(Change(
                    entity: "account", recordID: account, dot: Dot(replica: replica, counter: 1), hlc: HLC(physical: 1),
                    context: VersionVector(), operations: [FieldOperation(field: "name", operation: .assign(.string("Old Co"))), FieldOperation(field: "territory", operation: .assign(.string("east")))]
                )).state
                var child = RecordState(entity: "contact", id: contact)
                child = try child.merging(Change(
                    entity: "contact", recordID: contact, dot: Dot(replica: replica, counter: 2), hlc: HLC(physical: 2),
                    context: VersionVector(), operations: [FieldOperation(field: "account", operation: .assign(.string(account))), FieldOperation(field: "name", operation: .assign(.string("Ma")))]
                )).state
                for record in [state, child] {
                    try db.execute(
                        sql: "INSERT INTO records (entity, id, state, deleted, updated_seq) VALUES (?, ?, ?, 0, 1)",
                        arguments: [record.entity, record.id, try ServerJSON.encodeString(record)]
                    )
                }
                try db.execute(
                    sql: """
                        INSERT INTO conflicts (entity, record_id, field, kind, status, opened_at, opened_seq, closed_at, closed_seq)
                        VALUES ('account', ?, 'phone', 'concurrent_values', 'resolved', 10, 3, 20, 4)
                        """,
                    arguments: [account]
                )
            }
            try queue.close()
        }
        var logger = Logger(label: "migration-test")
        logger.logLevel = .critical
        let storage = try SQLiteServerStorage(path: path, logger: logger)
        let entries = try await storage.conflicts(openOnly: false)
        #expect(entries.map(\.status) == [.resolvedByEdit])
        #expect(entries.first?.closedSequence == 4)
        let referrers = try await storage.pool.read { db in
            try String.fetchAll(db, sql: "SELECT record_id FROM record_references WHERE target_id = ?", arguments: [account])
        }
        #expect(referrers == [contact])
        try await storage.close()
    }
}
