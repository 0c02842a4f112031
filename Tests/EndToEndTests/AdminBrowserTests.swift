import CRM
import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// The admin page in a real browser: headless Chromium signs in, filters, opens a conflict,
/// resolves it by clicking, and a device sees the resolution after its next sync.
///
/// Needs Debian's `chromium` (scripts/install-prerequisites.sh installs it). Without it the
/// test is skipped on a developer machine and fails under CI, where it must run.
@Suite("Admin page in headless Chromium", .serialized)
struct AdminBrowserTests {
    static let available = ChromiumDriver.executable != nil || ProcessInfo.processInfo.environment["CI"] != nil

    @Test("sign in, filter, open a conflict, keep a value, and the device gets it", .enabled(if: available), .timeLimit(.minutes(8)))
    func resolveInTheBrowser() async throws {
        let executable = try #require(ChromiumDriver.executable, "chromium is not installed: run scripts/install-prerequisites.sh")
        try await withAdminWorld { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let root = try await world.device("root", role: .admin, territories: [])
            // One conflict on an account's phone, and a delete-vs-edit on another account.
            let acme = LocalEdit.create("account", [
                .set("name", .string("Acme Tea Co.")), .set("territory", .string("east")), .set("city", .string("Shanghai")),
            ])
            let lotus = LocalEdit.create("account", [.set("name", .string("Lotus Foods")), .set("territory", .string("east"))])
            try alice.edit(acme)
            try alice.edit(lotus)
            try await alice.sync()
            try await bob.sync()
            try alice.edit(.update("account", id: acme.recordID, [.set("phone", .string("+86 21 5555 0100"))]))
            try bob.edit(.update("account", id: acme.recordID, [.set("phone", .string("021-5555-0199"))]))
            try alice.edit(.delete("account", id: lotus.recordID))
            try bob.edit(.update("account", id: lotus.recordID, [.set("notes", .string("new buyer"))]))
            try await alice.sync()
            try await bob.sync()
            try await alice.sync()
            #expect(try await root.admin.conflicts().total == 2)

            let browser = try ChromiumDriver(executable: executable)
            try await browser.openPage()
            let base = world.server.baseURL

            // Signed out: the page sends us to the login form.
            try await browser.navigate("\(base)/admin")
            #expect(try await browser.location == "\(base)/admin/login")
            try await browser.fill("#code", try await world.signInCode(root.user))
            try await browser.click("#login")
            #expect(try await browser.location == "\(base)/admin/conflicts")
            let list = try await browser.html()
            #expect(list.contains("Acme Tea Co."))
            #expect(list.contains("Lotus Foods"))
            try Self.save(try await browser.screenshot(), name: "admin-conflicts.png")
            #expect(try await browser.evaluate("document.cookie") as? String == "", "the session cookie is HttpOnly")

            // Search by a phone: only the phone conflict is left.
            try await browser.fill("#filter-q", "5555-0199")
            try await browser.click("#apply-filters")
            #expect(try await browser.location.contains("q=5555-0199"))
            let searched = try await browser.html()
            #expect(searched.contains("Acme Tea Co."))
            #expect(!searched.contains("Lotus Foods"))
            try await browser.navigate("\(base)/admin/conflicts")

            // Filter to concurrent edits: only the phone conflict is left.
            try await browser.fill("#filter-kind", "concurrent_values")
            try await browser.click("#apply-filters")
            #expect(try await browser.location.contains("kind=concurrent_values"))
            let filtered = try await browser.html()
            #expect(filtered.contains("Acme Tea Co."))
            #expect(!filtered.contains("Lotus Foods"))

            // Open it: both competing values side by side with their authors.
            try await browser.click("a.open-conflict")
            #expect(try await browser.location.contains("/admin/conflicts/"))
            let competitors = try #require(try await browser.text("#competitors"))
            #expect(competitors.contains("alice"))
            #expect(competitors.contains("bob"))
            #expect(competitors.contains("+86 21 5555 0100"))
            #expect(competitors.contains("021-5555-0199"))
            let screenshot = try await browser.screenshot()
            try Self.save(screenshot, name: "admin-conflict.png")

            // Keep the value that is not displayed now.
            let kept = try #require(try await browser.evaluate(
                "document.querySelector('.competitor:not(.winner) .competing-value').innerText"
            ) as? String)
            try await browser.click(".competitor:not(.winner) button.choose")
            #expect(try await browser.text("#flash")?.contains("Resolved") == true)
            #expect(try await browser.text("#status") == "resolved by admin")
            #expect(try await browser.text("#outcome") == "\(kept) · chosen by root", "the page shows the outcome, not the value displayed before")
            #expect(try await browser.text(".competitor.rejected .badge") == "rejected")

            // The device sees the resolution after its next sync.
            try await alice.sync()
            #expect(try alice.value("account", acme.recordID, "phone") == .string(kept))
            #expect(try alice.store.openConflicts().map(\.key.kind) == [.deleteVsEdit])

            // The record's history shows the admin's change.
            try await browser.click("#history-link")
            let history = try #require(try await browser.text("#history-table"))
            #expect(history.contains("root"))
            #expect(history.contains(kept))
            try Self.save(try await browser.screenshot(), name: "admin-history.png")

            // The dashboard: counts and the charts, drawn from the reports API.
            try await browser.navigate("\(base)/admin/dashboard")
            #expect(try await browser.text("#tile-conflicts")?.contains("open conflicts") == true)
            let chartWidth = try #require(try await browser.evaluate("document.querySelector('#chart-pipeline').naturalWidth") as? Int)
            #expect(chartWidth > 0, "the pipeline chart loads under the page's Content-Security-Policy")

            // On a phone the list fits the screen: no sideways scrolling.
            try await browser.setViewport(width: 390, height: 844)
            try await browser.navigate("\(base)/admin/conflicts?status=all")
            let width = try #require(try await browser.evaluate("document.documentElement.scrollWidth") as? Int)
            #expect(width <= 390, "the list is \(width) px wide on a 390 px screen")
            try Self.save(try await browser.screenshot(), name: "admin-phone.png")
        }
    }

    @Test("sign in, search in Chinese, merge a duplicate field by field, settle a stage move, read the dashboard", .enabled(if: available), .timeLimit(.minutes(8)))
    func mergeAndStageInTheBrowser() async throws {
        let executable = try #require(ChromiumDriver.executable, "chromium is not installed: run scripts/install-prerequisites.sh")
        try await withAdminWorld { world in
            let alice = try await world.device("alice")
            let bob = try await world.device("bob")
            let root = try await world.device("root", role: .admin, territories: [])
            // Two reps create the same customer offline: the same phone written two ways.
            let mine = LocalEdit.create("account", [
                .set("name", .string("上海华科电子")), .set("territory", .string("east")), .set("city", .string("上海")),
                .set("phone", .string("+86 21 5888 1234")),
            ])
            let theirs = LocalEdit.create("account", [
                .set("name", .string("华科电子（上海）")), .set("territory", .string("east")),
                .set("phone", .string("021-5888-1234")), .set("email", .string("buy@huake.cn")),
            ])
            // A deal alice moves to negotiation while bob marks it lost with a reason.
            let customer = LocalEdit.create("account", [.set("name", .string("苏州明达贸易")), .set("territory", .string("east"))])
            let deal = LocalEdit.create("opportunity", [
                .set("account", .string(customer.recordID)), .set("title", .string("门店茶饮机")),
                .set("stage", .string("proposal")), .set("probability", .int(50)),
                .set("amount", .string("380000")), .set("currency", .string("CNY")),
            ])
            let other = LocalEdit.create("opportunity", [
                .set("account", .string(customer.recordID)), .set("title", .string("华东区域代理")),
                .set("stage", .string("qualification")), .set("amount", .string("120000")), .set("currency", .string("CNY")),
            ])
            try alice.edit(mine)
            try alice.edit(customer)
            try alice.edit(deal)
            try alice.edit(other)
            try await alice.sync()
            try bob.edit(theirs)
            try await bob.sync()
            try alice.edit(.update("opportunity", id: deal.recordID, [.set("stage", .string("negotiation")), .set("probability", .int(70))]))
            try bob.edit(.update("opportunity", id: deal.recordID, [
                .set("stage", .string("lost")), .set("probability", .int(0)),
                .set("closed_on", .string("2026-12-01")), .set("lost_reason", .string("price")),
            ]))
            try await alice.sync()
            try await bob.sync()
            let open = try await root.admin.conflicts().conflicts
            #expect(Set(open.map(\.key.kind)) == [.probableDuplicate, .concurrentValues])

            let browser = try ChromiumDriver(executable: executable)
            try await browser.openPage()
            let base = world.server.baseURL
            try await browser.navigate("\(base)/admin/login")
            try await browser.fill("#code", try await world.signInCode(root.user))
            try await browser.click("#login")

            // Search in Chinese: only the duplicate pair is listed.
            try await browser.fill("#filter-q", "华科")
            try await browser.click("#apply-filters")
            let searched = try await browser.html()
            #expect(searched.contains("上海华科电子"))
            #expect(!searched.contains("门店茶饮机"))

            // The merge screen: the two records side by side, differing fields to pick from.
            try await browser.click("a.open-conflict")
            #expect(try await browser.evaluate("document.querySelector('#merge-phone').className") as? String == "differs")
            #expect(try await browser.evaluate("document.querySelector('#merge-territory').className") as? String == "same")
            try Self.save(try await browser.screenshot(), name: "admin-merge.png")
            // Alice's record stays with its name; the phone is bob's way of writing it.
            let picked = try await browser.evaluate("""
                (() => {
                  const pick = (selector) => { const e = document.querySelector(selector); if (!e) return false; e.checked = true; return true; };
                  return pick('input[name="survivor"][value="\(mine.recordID)"]')
                    && pick('input[name="keep.name"][value="\(mine.recordID)"]')
                    && pick('input[name="keep.phone"][value="\(theirs.recordID)"]');
                })()
                """) as? Bool
            #expect(picked == true, "the merge form offers the survivor, the name and the phone")
            try await browser.click("#merge-submit")
            #expect(try await browser.text("#status") == "resolved by admin")
            #expect(try await browser.text("#outcome") == "merged 华科电子（上海） into 上海华科电子 · chosen by root")

            // The stage conflict: keeping negotiation takes the whole move with it.
            try await browser.navigate("\(base)/admin/conflicts?q=\(deal.recordID.prefix(8))")
            let stageLink = try #require(try await browser.evaluate("""
                [...document.querySelectorAll('#conflict-table tbody tr')]
                  .find(row => [...row.cells].some(cell => cell.innerText === 'stage'))?.querySelector('a.open-conflict')?.href
                """) as? String, "the stage conflict is listed")
            try await browser.navigate(stageLink)
            let negotiation = try #require(try await browser.evaluate("""
                [...document.querySelectorAll('.competitor')].findIndex(c => c.querySelector('.competing-value').innerText === 'negotiation')
                """) as? Int)
            #expect(negotiation >= 0)
            try await browser.click("#choose-\(negotiation)")
            #expect(try await browser.text("#outcome") == "negotiation · chosen by root")
            #expect(try await browser.text(".competitor.rejected .competing-value") == "lost")

            // The same page in Chinese, from the language switch; the choice sticks.
            try await browser.click("a.language[hreflang='zh-Hans']")
            #expect(try await browser.evaluate("document.documentElement.lang") as? String == "zh-Hans")
            #expect(try await browser.text("#outcome") == "negotiation · 由 root 选定")
            #expect(try await browser.text(".competitor.rejected .badge") == "已舍弃")
            try Self.save(try await browser.screenshot(), name: "admin-conflict-zh.png")
            try await browser.navigate("\(base)/admin/conflicts?status=all")
            #expect(try await browser.text("#tab-all")?.hasPrefix("全部") == true)
            try await browser.click("a.language[hreflang='en']")

            // Both devices get the merge and the whole move.
            for device in [alice, bob] {
                try await device.sync()
                #expect(try device.value("account", mine.recordID, "phone") == .string("021-5888-1234"))
                #expect(try device.value("account", mine.recordID, "email") == .string("buy@huake.cn"))
                #expect(try device.store.record("account", id: theirs.recordID)?.deleted == true)
                #expect(try device.value("opportunity", deal.recordID, "stage") == .string("negotiation"))
                #expect(try device.value("opportunity", deal.recordID, "probability") == .int(70))
                #expect(try device.value("opportunity", deal.recordID, "lost_reason") ?? .null == .null)
                #expect(try device.value("opportunity", deal.recordID, "closed_on") ?? .null == .null)
            }
            try expectConverged([alice, bob])
            #expect(try await root.admin.conflicts().conflicts.isEmpty, "the probability conflict closed with the stage")

            // The dashboard: no conflict left, the deal counted in negotiation.
            try await browser.navigate("\(base)/admin/dashboard")
            #expect(try await browser.text("#tile-conflicts")?.hasPrefix("0") == true)
            let chartWidth = try #require(try await browser.evaluate("document.querySelector('#chart-pipeline').naturalWidth") as? Int)
            #expect(chartWidth > 0)
            let report = try #require(try await browser.text("#pipeline-text"))
            let rows = report.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.first { $0.dropFirst().first == "negotiation" } == ["CNY", "negotiation", "1", "380,000.00", "266,000.00"],
                    "the deal counts at the kept stage with the kept probability (70 %): \(report)")
            #expect(rows.first { $0.dropFirst().first == "lost" }?.dropFirst(2).first == "0")
            try Self.save(try await browser.screenshot(), name: "admin-dashboard.png")

            // The same dashboard in Chinese: the report, its stages and the chart's title.
            try await browser.navigate("\(base)/admin/dashboard?lang=zh-Hans")
            let chinese = try #require(try await browser.text("#pipeline-text"))
            let chineseRows = chinese.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(chinese.hasPrefix("销售管道（按阶段，截至"), "\(chinese)")
            #expect(chineseRows.first { $0.dropFirst().first == "商务谈判" } == ["CNY", "商务谈判", "1", "380,000.00", "266,000.00"], "\(chinese)")
            try Self.save(try await browser.screenshot(), name: "admin-dashboard-zh.png")
            // The chart follows the language the switch remembered (the page's CSP keeps
            // scripts from fetching, so the browser opens the chart itself).
            try await browser.navigate("\(base)/admin/charts/pipeline.svg")
            let chart = try await browser.evaluate("document.documentElement.outerHTML") as? String
            #expect(chart?.contains("销售管道") == true, "\(chart ?? "")")
        }
    }

    /// Saves a screenshot: into docs/ when FIELDSYNC_UPDATE_DOCS=1 (to refresh the README's
    /// picture), otherwise into the temporary directory.
    static func save(_ png: Data, name: String) throws {
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        let directory: URL
        if ProcessInfo.processInfo.environment["FIELDSYNC_UPDATE_DOCS"] == "1" {
            directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("docs")
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-screenshots")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try png.write(to: directory.appendingPathComponent(name))
    }
}
