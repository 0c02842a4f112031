import CRM
import Foundation
import SyncCore
import Testing

@Suite("Reports in Chinese and English: the language, the phrase book, and no report word left untranslated")
struct ReportLanguageTests {
    @Test("the CLI's language follows LC_ALL, then LC_MESSAGES, then LANG; C, POSIX and other languages are English", arguments: [
        (["LANG": "zh_CN.UTF-8"], Language.chinese),
        (["LANG": "zh_TW.UTF-8@stroke"], .chinese),
        (["LANG": "en_US.UTF-8"], .english),
        (["LC_ALL": "C", "LANG": "zh_CN.UTF-8"], .english),
        (["LC_ALL": "", "LC_MESSAGES": "zh_CN", "LANG": "en_US"], .chinese),
        (["LC_MESSAGES": "POSIX", "LANG": "zh_CN.UTF-8"], .english),
        (["LANG": "fr_FR.UTF-8"], .english),
        ([:], .english),
    ])
    func environment(variables: [String: String], expected: Language) {
        #expect(Language.environment(variables) == expected)
    }

    @Test("a phrase keeps values as written ($N) and translates nested sentences (@N); an untranslatable nested part does not match")
    func phraseBook() {
        let book = PhraseBook([
            ("(.+?); (.+)", "@1；@2"),
            ("total (\\S+)", "合计 $1"),
            ("ok", "好"),
            ("(\\d+) of (\\d+)", "$2 个中 $1 个"),
            ("target: (.+)", "目标：@1"),
            ("target: (\\w+)", "目标用户 $1"),
        ])
        #expect(book.translation(of: "total 1,200.00; ok") == "合计 1,200.00；好")
        #expect(book.translation(of: "12 of 345") == "345 个中 12 个", "$1 does not eat the start of a longer number")
        #expect(book.translation(of: "target: ok") == "目标：好")
        #expect(book.translation(of: "target: alice") == "目标用户 alice", "an entry whose @ part has no translation is skipped")
        #expect(book.translation(of: "alice; ok") == nil)
        #expect(PhraseBook([("x", "y")]).translation(of: "xx") == nil, "patterns match the whole text")
    }

    /// A catalogue with each fault `Catalogue.problems` looks for.
    enum FaultyCatalogue: Catalogue {
        case fine, marksOnly, untranslated, emptyEnglish, lostPlaceholder

        var texts: (english: String, chinese: String) {
            switch self {
            case .fine: return ("{n} records", "{n} 条记录")
            case .marksOnly: return ("{title} ({n})", "{title}（{n}）")
            case .untranslated: return ("records", "records")
            case .emptyEnglish: return ("", "记录")
            case .lostPlaceholder: return ("{n} records", "记录")
            }
        }
    }

    @Test("a catalogue fills its placeholders, and its check finds an entry left in English, an empty one and a lost placeholder")
    func catalogue() {
        #expect(FaultyCatalogue.fine.text(.chinese, ["n": 3]) == "3 条记录")
        #expect(FaultyCatalogue.fine.text(.english, ["n": 3]) == "3 records")
        let problems = FaultyCatalogue.problems
        #expect(problems.count == 3, "\(problems)")
        for key in ["untranslated", "emptyEnglish", "lostPlaceholder"] {
            #expect(problems.contains { $0.hasPrefix(key) }, "\(key) not found in \(problems)")
        }
    }

    @Test("the pipeline reads in Chinese: title, headers, stages, totals and notes; values and amounts stay")
    func pipelineInChinese() throws {
        let report = PipelineReport(CRMDataSet(records: [
            Sample.opportunity(1, stage: "negotiation", amount: "1380000"),
            Sample.opportunity(2, stage: "won", amount: "5000"),
        ]))
        let text = report.text(.chinese)
        #expect(text.contains("销售管道（按阶段）"))
        #expect(text.contains("币种") && text.contains("加权金额"))
        #expect(text.contains("商务谈判") && text.contains("赢单") && text.contains("进行中合计"))
        #expect(text.contains("1,380,000.00"))
        #expect(text.contains("加权金额 = 金额 × 赢率 / 100"))
        #expect(report.text(.english) == report.text(), "English is the report as computed")
        #expect(report.table.localized(.chinese).csv() != report.table.csv() && report.table.csv().hasPrefix("currency,stage"),
                "the computed table (JSON, CSV) keeps its English words")
    }

    /// Every string the demo data set's reports show that holds a Latin letter and is not a
    /// value of the data: each must have a translation.
    @Test("no title, header, note, cell or chart label of any report over the demo data is left in English")
    func everyReportWordIsTranslated() throws {
        let fixture = try Repository.demo.get()
        let dataSet = CRMDataSet(fixture: fixture)
        let all = try AllReports(dataSet)
        var values = Set(fixture.users.map(\.name))
        for record in fixture.records {
            for value in record.fields.values {
                switch value {
                case .value(let value): values.insert(value.description)
                case .elements(let elements): values.formUnion(elements)
                }
            }
        }
        var untranslated: [String] = []
        func needsWords(_ text: String) -> Bool { text.unicodeScalars.contains { $0.isASCII && CharacterSet.letters.contains($0) } }
        func isData(_ text: String) -> Bool {
            if text.hasSuffix(" *") { return isData(String(text.dropLast(2))) }  // a suggestion that differs
            return values.contains(text) || ReportPhrases.codes.contains(text) || text.wholeMatch(of: /\d{4}-W\d{2}( \(\d+\))?/) != nil
        }
        for report in all.tabular {
            for table in report.tables {
                for sentence in [table.title] + table.notes where needsWords(sentence) && ReportPhrases.chinese.translation(of: sentence) == nil {
                    untranslated.append(sentence)
                }
                for header in table.headers where needsWords(header) && ReportPhrases.header(header, .chinese) == header {
                    untranslated.append("header: " + header)
                }
                for cell in table.rows.joined() where needsWords(cell) && !isData(cell) && ReportPhrases.cell(cell, .chinese) == cell {
                    untranslated.append("cell: " + cell)
                }
            }
        }
        for chart in [all.pipeline.chart(currency: "CNY"), all.pipeline.chart(currency: "CNY", measure: .count), all.conversion.chart()] {
            let localized = chart.localized(.chinese)
            if localized.title == chart.title { untranslated.append("chart: " + chart.title) }
            for (bar, shown) in zip(chart.bars, localized.bars) where bar.label == shown.label && !isData(bar.label) {
                untranslated.append("bar: " + bar.label)
            }
        }
        #expect(untranslated.isEmpty, "\(Set(untranslated).sorted())")
    }

    @Test("every enumeration value that is a word has a Chinese name, and every translation has Chinese in it")
    func catalogueIsComplete() {
        let missing = ReportPhrases.enumerationValues.subtracting(ReportPhrases.codes).filter { ReportPhrases.chineseValues[$0] == nil }
        #expect(missing.isEmpty, "\(missing.sorted())")
        let han = /\p{Han}/
        for template in ReportPhrases.chinese.templates + ReportPhrases.chineseHeaders.templates where template != "@1；@2" {
            #expect(template.contains(han), "\(template)")
        }
        #expect(ReportPhrases.chineseValues.values.allSatisfy { $0.contains(han) || $0 == $0.uppercased() })
    }

    @Test("the device's origin line reads in Chinese")
    func origin() {
        #expect(ReportPhrases.text("computed on this device from 12 records, as of 2026-11-23; local edits not synced yet are included (`fieldsync sync` shares them)", .chinese)
            == "在本设备上由 12 条记录算出，截至 2026-11-23；包含尚未同步的本地修改（`fieldsync sync` 会同步它们）")
        #expect(ReportPhrases.text("computed on the server at 2026-11-23T09:00:00Z from 5 records (scope: everything), as of 2026-11-23", .chinese)
            == "在服务器上于 2026-11-23T09:00:00Z 由 5 条记录算出（范围：全部），截至 2026-11-23")
    }
}
