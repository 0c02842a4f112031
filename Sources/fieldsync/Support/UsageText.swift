import CRM
import FieldWork

/// The usage errors the commands find themselves (`validate()`: options that go together or
/// exclude each other, values out of range), in English and Chinese; the parser's own usage
/// errors are translated by `ParserText`. A `Catalogue`: an entry without both languages does
/// not compile.
enum UsageText: String, Catalogue {
    case surveyKind, accountOrNewAccount, opportunityTitleEmpty, asOf, unknownReport, oneOutputFormat
    case bomWithCSV, chartReports, barsWithChart, measureChoices, ownerOrMine, adminLimit
    case oneResolution, pickFromOne, reasonEmpty, survivorIsDuplicate, quantityAtLeastOne, reasonNotTaken
    case serverURL, codeEmpty, idUUID, limitAtLeastOne, nothingToChange, termsChoices
    case durationNegative, pointsPositive, dayOrWeek, newStage, atLeastOneTag, withinNotNegative
    case onDuplicateChoices, linesWithOrders, delimiterASCII, csvOneEntity, fieldsWithCSV, bomWithFormatCSV
    case csatScale, npsScale, pollIntervalPositive, pollIntervalWithWatch

    var texts: (english: String, chinese: String) {
        switch self {
        case .surveyKind: return ("--kind is csat or nps, got '{kind}'", "--kind 只能是 csat 或 nps，收到的是 '{kind}'")
        case .accountOrNewAccount: return ("give --account or --new-account, not both", "请给出 --account 或 --new-account，不要同时给出")
        case .opportunityTitleEmpty: return ("--opportunity-title must not be empty", "--opportunity-title 不能为空")
        case .asOf: return ("--as-of: {reason}", "--as-of：{reason}")
        case .unknownReport: return ("unknown report '{name}'; reports: {reports}", "没有名为 '{name}' 的报表；可用的报表：{reports}")
        case .oneOutputFormat: return ("choose one of --json, --csv and --chart", "--json、--csv 和 --chart 只能选一个")
        case .bomWithCSV: return ("--bom goes with --csv", "--bom 只能与 --csv 一起使用")
        case .chartReports: return ("--chart draws {charts}; {report} is a table", "--chart 只能画 {charts}；{report} 是表格")
        case .barsWithChart: return ("--bars and --measure go with --chart", "--bars 和 --measure 只能与 --chart 一起使用")
        case .measureChoices: return ("--measure is one of {choices}", "--measure 只能是 {choices} 之一")
        case .ownerOrMine: return ("give --owner or --mine, not both", "请给出 --owner 或 --mine，不要同时给出")
        case .adminLimit: return ("--limit must be 1 to 1000", "--limit 必须在 1 到 1000 之间")
        case .oneResolution: return ("give exactly one of --pick, --choose, --value, --keep, --delete, --restore-target, --survivor", "请在 --pick、--choose、--value、--keep、--delete、--restore-target、--survivor 中恰好给出一个")
        case .pickFromOne: return ("--pick counts from 1", "--pick 从 1 开始计数")
        case .reasonEmpty: return ("--reason must not be empty", "--reason 不能为空")
        case .survivorIsDuplicate: return ("the survivor and the duplicate must differ", "保留的记录和重复的记录不能是同一条")
        case .quantityAtLeastOne: return ("--quantity must be at least 1", "--quantity 至少为 1")
        case .reasonNotTaken: return ("--reason is not taken by {command}", "{command} 不接受 --reason")
        case .serverURL: return ("--server must be an http(s) URL such as http://127.0.0.1:8080", "--server 必须是 http(s) 网址，例如 http://127.0.0.1:8080")
        case .codeEmpty: return ("--code must not be empty", "--code 不能为空")
        case .idUUID: return ("--id must be a lowercase UUID such as 0192f0c4-7d1e-7c3a-9b2e-5f6a7b8c9d0e", "--id 必须是小写的 UUID，例如 0192f0c4-7d1e-7c3a-9b2e-5f6a7b8c9d0e")
        case .pollIntervalPositive: return ("--poll-interval must be at least 1 second", "--poll-interval 至少为 1 秒")
        case .pollIntervalWithWatch: return ("--poll-interval goes with --watch", "--poll-interval 只能与 --watch 一起使用")
        case .limitAtLeastOne: return ("--limit must be at least 1", "--limit 至少为 1")
        case .nothingToChange: return ("nothing to change: give field=value or --clear field", "没有要修改的内容：请给出 field=value 或 --clear field")
        case .termsChoices: return ("{option} is one of {choices}, not '{value}'", "{option} 只能是 {choices} 之一，收到的是 '{value}'")
        case .durationNegative: return ("--duration must not be negative", "--duration 不能为负数")
        case .pointsPositive: return ("points must be a positive whole number", "积分必须是正整数")
        case .dayOrWeek: return ("give --day or --week, not both", "请给出 --day 或 --week，不要同时给出")
        case .newStage: return ("give the new stage ({stages}) or --reopen", "请给出新的阶段（{stages}）或 --reopen")
        case .atLeastOneTag: return ("give at least one tag", "请至少给出一个标签")
        case .withinNotNegative: return ("--within must be 0 or more", "--within 必须大于或等于 0")
        case .onDuplicateChoices: return ("--on-duplicate is one of {choices}", "--on-duplicate 只能是 {choices} 之一")
        case .linesWithOrders: return ("--lines goes with an order import: fieldsync import-csv order ORDERS.csv --lines LINES.csv", "--lines 只用于导入订单：fieldsync import-csv order ORDERS.csv --lines LINES.csv")
        case .delimiterASCII: return ("--delimiter must be one ASCII character", "--delimiter 必须是一个 ASCII 字符")
        case .csvOneEntity: return ("CSV exports one entity at a time", "CSV 一次只能导出一种对象")
        case .fieldsWithCSV: return ("--fields goes with --format csv", "--fields 只能与 --format csv 一起使用")
        case .bomWithFormatCSV: return ("--bom goes with --format csv", "--bom 只能与 --format csv 一起使用")
        case .csatScale: return ("a CSAT score is from 1 to 5, got {score}", "CSAT 评分应在 1 到 5 之间，收到的是 {score}")
        case .npsScale: return ("an NPS score is from 0 to 10, got {score}", "NPS 评分应在 0 到 10 之间，收到的是 {score}")
        }
    }
}
