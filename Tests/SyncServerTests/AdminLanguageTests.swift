import CRM
import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SyncCore
import Testing

@testable import SyncServer

/// The admin page in English and Simplified Chinese: every word a template shows comes from the
/// catalogue, every catalogue entry has both languages, and the page speaks the language the
/// switch, the cookie or the browser asks for.
@Suite("Admin page languages")
struct AdminLanguageTests {
    static let templates: [(String, String)] = [
        ("layout", AdminTemplates.layout), ("login", AdminTemplates.login), ("conflicts", AdminTemplates.conflicts),
        ("detail", AdminTemplates.detail), ("history", AdminTemplates.history), ("message", AdminTemplates.message),
        ("dashboard", AdminTemplates.dashboard), ("people", AdminTemplates.people),
    ]

    /// What a template shows a reader once its tags, `{{…}}` and commands in `<code>` are taken
    /// out; the product's name is not translated.
    static func untranslated(_ template: String) -> [String] {
        var text = template.replacing(/<code>.*?<\/code>/.dotMatchesNewlines(), with: "")
        var found: [String] = []
        // Attributes a reader sees: placeholders, alternative texts, labels for screen readers, tooltips.
        for match in text.matches(of: /(?:placeholder|alt|aria-label|title)="([^"]*)"/) {
            let shown = String(match.output.1).replacing(/\{\{[^}]*\}\}/, with: "")
            if shown.contains(/[A-Za-z]/) { found.append(shown) }
        }
        text = text.replacing(/<[^>]*>/, with: " ").replacing(/\{\{[^}]*\}\}/, with: " ").replacing("FieldSync", with: "")
        found += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains(/[A-Za-z]/) }
        return found
    }

    @Test("no template shows a word that is not in the catalogue, and every {{t.KEY}} is a catalogue key")
    func templatesUseTheCatalogue() {
        for (name, template) in Self.templates {
            #expect(Self.untranslated(template).isEmpty, "\(name) shows words outside the catalogue: \(Self.untranslated(template))")
            for match in template.matches(of: /\{\{t\.(\w+)\}\}/) {
                #expect(AdminString(rawValue: String(match.output.1)) != nil, "\(name) reads t.\(match.output.1), which the catalogue lacks")
            }
        }
        // The check itself finds a literal word, an untranslated placeholder and a bare label.
        #expect(Self.untranslated(#"<p>{{t.signIn}} now</p>"#) == ["now"])
        #expect(Self.untranslated(#"<input placeholder="reason">"#) == ["reason"])
        #expect(Self.untranslated(#"<code>fieldsync-server user code NAME</code> <b>{{t.signIn}}</b>"#).isEmpty)
    }

    @Test("every catalogue entry has both languages, the Chinese in Chinese, with the same {placeholders}")
    func catalogueIsComplete() {
        #expect(AdminString.problems.isEmpty, "\(AdminString.problems)")
    }

    @Test("the switch, then the cookie, then Accept-Language weights choose the language; English otherwise")
    func negotiation() {
        #expect(Language.of(query: nil, cookie: nil, acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8") == .chinese)
        #expect(Language.of(query: nil, cookie: nil, acceptLanguage: "en-US,en;q=0.9,zh;q=0.8") == .english)
        #expect(Language.of(query: nil, cookie: nil, acceptLanguage: "fr-FR, en;q=0.5, zh-TW;q=0.7") == .chinese)
        #expect(Language.of(query: nil, cookie: nil, acceptLanguage: "zh;q=0, fr") == .english, "q=0 refuses a language")
        #expect(Language.of(query: nil, cookie: nil, acceptLanguage: "de") == .english)
        #expect(Language.of(query: nil, cookie: nil, acceptLanguage: nil) == .english)
        #expect(Language.of(query: nil, cookie: "zh-Hans", acceptLanguage: "en") == .chinese)
        #expect(Language.of(query: "en", cookie: "zh-Hans", acceptLanguage: "zh") == .english)
        #expect(Language.of(query: "klingon", cookie: nil, acceptLanguage: "zh-CN") == .chinese, "an unknown switch value is ignored")
    }

    @Test("the server's stored sentences (reasons, outcomes) read in Chinese with their values kept")
    func phrases() {
        let t = AdminText(language: .chinese)
        #expect(t.phrase("same phone 02158881234") == "电话相同 02158881234")
        #expect(t.phrase("same name and city") == "名称和城市相同")
        #expect(t.phrase("merged 华科电子（上海） into 上海华科电子") == "已将 华科电子（上海） 合并到 上海华科电子")
        #expect(t.phrase("2 concurrent values of phone") == "phone 有 2 个并发值")
        #expect(t.phrase("a delete met an edit its writer had not seen (the edit wins)") == "删除遇到了删除者未见过的修改（修改优先）")
        #expect(t.phrase("account names account 'Acme', which was deleted") == "account 指向的account 'Acme' 已被删除")
        #expect(t.phrase("both records kept") == "两条记录都保留")
        #expect(t.phrase("choose: negotiation — called the buyer") == "选定：negotiation — called the buyer", "the admin's note stays as typed")
        #expect(t.phrase("merged a into b — same shop") == "已将 a 合并到 b — same shop")
        #expect(t.phrase("021-5555-0199") == "021-5555-0199", "a value is not a sentence")
        #expect(AdminText(language: .english).phrase("same phone 1") == "same phone 1")
    }

    @Test("a Chinese browser gets the page in Chinese; the switch changes it and a cookie keeps the choice")
    func pages() async throws {
        try await withFixture(backend: .sqlite) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                _ = try await ConcurrentPhoneScenario.make(fixture, client)
                let session = try await AdminWebTests.signIn(client, fixture, as: "root")
                let chinese = "zh-CN,zh;q=0.9,en;q=0.8"
                let list = String(buffer: try await client.getPage("/admin/conflicts", cookie: session, acceptLanguage: chinese).body)
                #expect(list.contains(#"<html lang="zh-Hans">"#))
                #expect(list.contains("<h1>冲突</h1>"))
                #expect(list.contains("并发修改"), "the kind label")
                #expect(list.contains("共 1 条 · 第 1 页，共 1 页"))
                #expect(!list.contains("Competing values") && !list.contains("Open for at least"))
                let id = try #require(try await fixture.storage.conflicts(openOnly: true).first?.id)
                let detail = String(buffer: try await client.getPage("/admin/conflicts/\(id)", cookie: session, acceptLanguage: chinese).body)
                #expect(detail.contains("保留此值"))
                #expect(detail.contains("phone 有 2 个并发值"), "the stored reason, in Chinese")
                #expect(detail.contains(#"href="/admin/conflicts/\#(id)?lang=en""#), "the switch links back to this page")

                // The switch: English now, remembered by a cookie over the browser's wish.
                let switched = try await client.getPage("/admin/conflicts/\(id)?lang=en", cookie: session, acceptLanguage: chinese)
                let english = String(buffer: switched.body)
                #expect(english.contains(#"<html lang="en">"#))
                #expect(english.contains("Keep this value"))
                let cookie = try #require(switched.headers[.setCookie])
                #expect(cookie.hasPrefix("fieldsync_lang=en"))
                #expect(cookie.contains("HttpOnly"))
                let later = String(buffer: try await client.getPage(
                    "/admin/dashboard", cookie: "\(session); fieldsync_lang=en", acceptLanguage: chinese
                ).body)
                #expect(later.contains("open conflicts"))
                let dashboard = String(buffer: try await client.getPage("/admin/dashboard", cookie: session, acceptLanguage: chinese).body)
                #expect(dashboard.contains("个待处理冲突"))
                #expect(dashboard.contains("销售管道（按阶段，截至") && dashboard.contains("加权金额"), "the pipeline report, in Chinese")
                #expect(later.contains("Pipeline by stage") && !later.contains("销售管道"))
                let chart = String(buffer: try await client.getPage("/admin/charts/pipeline.svg", cookie: session, acceptLanguage: chinese).body)
                #expect(chart.contains("销售管道"), "the chart's title follows the page's language")
            }
        }
    }
}
