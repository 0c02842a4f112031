import Foundation

extension Language {
    /// The language of this command-line program (`fieldsync`, `fieldsync-server`), read once
    /// from its locale variables (`environment(_:)`).
    public static let commandLine = Language.environment()
}

extension Catalogue {
    /// The text in the command line's language, with each `{name}` of `arguments` filled in:
    /// what the executables print for people (`CLIString`, `ServerCLIHelp`…).
    public func callAsFunction(_ arguments: KeyValuePairs<String, Any> = [:]) -> String { text(.commandLine, arguments) }
}

/// The words swift-argument-parser 1.x writes itself, translated after the fact, in this one
/// place: its notes inside an option's help (`(default: …)`, `(values: …)`), wherever its
/// wrapping broke their line, then line by line its section headings, the built-in `--help`
/// and `--version` options, the `(default)` mark of a default subcommand, and the usage errors
/// it reports (and the commands' own `validate()` errors, of `fieldsync` and `fieldsync-server`). The parser has no API for them, so
/// its finished text is translated; a line of another shape stays.
public enum ParserText {
    /// `text` as the parser wrote it, in `language` (the command line's by default).
    public static func localized(_ text: String, in language: Language = .commandLine) -> String {
        guard language == .chinese else { return text }
        var text = text
        for (pattern, template) in notes {
            text = text.replacing(pattern) { match in
                var result = template
                for index in stride(from: match.output.count - 1, through: 1, by: -1) {
                    let part = match.output[index].substring.map(String.init) ?? ""
                    result = result.replacingOccurrences(of: "$\(index)", with: part.replacing(/\s*\n\s*/, with: " "))
                }
                return result
            }
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            chinese.translation(of: String(line)) ?? String(line)
        }.joined(separator: "\n")
    }

    /// The notes the parser adds to an option's help, which its wrapping may spread over lines.
    nonisolated(unsafe) private static let notes: [(Regex<AnyRegexOutput>, String)] = [
        (#" ?\(values:\s+([^()]*?);\s+default as flag:\s+([^()]*?)\)"#, "（可选值：$1；作为开关时默认：$2）"),
        (#" ?\(values:\s+([^()]*?);\s+default:\s+([^()]*?)\)"#, "（可选值：$1；默认：$2）"),
        (#" ?\(values:\s+([^()]*?)\)"#, "（可选值：$1）"),
        (#" ?\(default:\s+([^()]*?)\)"#, "（默认：$1）"),
    ].map { (try! Regex($0.0), $0.1) }

    public static let chinese = PhraseBook([
        ("OVERVIEW: (.*)", "概述：$1"),
        ("USAGE: (.*)", "用法：$1"),
        ("Usage: (.*)", "用法：$1"),
        ("ARGUMENTS:", "参数："),
        ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："),
        ("(.+) SUBCOMMANDS:", "$1子命令："),
        ("(\\s*)See '(.+) <subcommand>' for detailed help\\.", "$1用 '$2 <子命令>' 查看详细帮助。"),
        ("(\\s*)See '(.+)' for more information\\.", "$1用 '$2' 查看更多信息。"),
        ("(\\s*-h, --help\\s+)Show help information\\.", "$1显示帮助信息。"),
        ("(\\s*--version\\s+)Show the version\\.", "$1显示版本。"),
        ("(\\s+\\S+) \\(default\\)(.*)", "$1（默认）  $2"),
        // The parser's usage errors.
        ("Error: Missing expected argument '(.*)'", "错误：缺少参数 '$1'"),
        ("Error: Missing one of: (.*)", "错误：缺少以下参数之一：$1"),
        ("Error: Missing required subcommand\\.", "错误：缺少子命令。"),
        ("Error: Unknown option '([^']*)'\\. Did you mean '([^']*)'\\?", "错误：未知选项 '$1'。您是不是要输入 '$2'？"),
        ("Error: Unknown option '(.*)'", "错误：未知选项 '$1'"),
        ("Error: Invalid option: (.*)", "错误：无效的选项：$1"),
        ("Error: Unexpected argument '(.*)'", "错误：多余的参数 '$1'"),
        ("Error: Missing value for '(.*)'", "错误：'$1' 缺少值"),
        ("Error: The option '([^']*)' does not take any value, but '(.*)' was specified\\.", "错误：选项 '$1' 不接受值，但给出了 '$2'。"),
        ("Error: Value to be set with (.*) had already been set with (.*)", "错误：$1 要设置的值已经由 $2 设置过了"),
        ("Error: The value '(.*)' is invalid for '([^']*)'\\. Please provide one of the following:", "错误：值 '$1' 对 '$2' 无效。请给出以下值之一："),
        ("Error: The value '(.*)' is invalid for '([^']*)'\\. Please provide one of (.+)\\.", "错误：值 '$1' 对 '$2' 无效。请给出 @3。"),
        ("Error: The value '(.*)' is invalid for '([^']*)': (.*)", "错误：值 '$1' 对 '$2' 无效：$3"),
        ("Error: The value '(.*)' is invalid for '([^']*)'", "错误：值 '$1' 对 '$2' 无效"),
        ("Error: The value '(.*)' is invalid\\.(.*)", "错误：值 '$1' 无效。$2"),
        // The choices of an invalid value: 'a' and 'b', 'a', 'b' or 'c'.
        ("((?:'[^']*', )*'[^']*') (?:and|or) ('[^']*')", "$1 或 $2"),
        ("Help:  (.*)", "帮助：$1"),
        // The commands' own usage errors (`validate()`).
        ("Error: (--[\\w-]+) must not be empty", "错误：$1 不能为空"),
        ("Error: (--[\\w-]+) must be at least (\\d+)", "错误：$1 至少为 $2"),
        ("Error: (--[\\w-]+) must be (\\d+) to (\\d+)", "错误：$1 必须在 $2 到 $3 之间"),
        ("Error: (--[\\w-]+) must be 0 or more", "错误：$1 不能小于 0"),
        ("Error: (--[\\w-]+) must not be negative", "错误：$1 不能为负数"),
        ("Error: --lines goes with an order import: (.+)", "错误：--lines 只用于订单导入：$1"),
        ("Error: (--[\\w-]+) goes with (.+)", "错误：$1 只能与 $2 一起使用"),
        ("Error: (--[\\w-]+) and (--[\\w-]+) go with (.+)", "错误：$1 和 $2 只能与 $3 一起使用"),
        ("Error: give (.+) or (.+), not both", "错误：$1 和 $2 只能给一个"),
        ("Error: (--[\\w-]+) is one of (.+), not '(.*)'", "错误：$1 只能是 $2 之一，不能是 '$3'"),
        ("Error: (--[\\w-]+) is one of (.+)", "错误：$1 只能是 $2 之一"),
        ("Error: (--[\\w-]+) must be an http\\(s\\) URL such as (\\S+)", "错误：$1 必须是 http(s) URL，例如 $2"),
        ("Error: --id must be a lowercase UUID such as (\\S+)", "错误：--id 必须是小写的 UUID，例如 $1"),
        ("Error: --delimiter must be one ASCII character", "错误：--delimiter 必须是一个 ASCII 字符"),
        ("Error: --pick counts from 1", "错误：--pick 从 1 开始计数"),
        ("Error: --kind is csat or nps, got '(.*)'", "错误：--kind 只能是 csat 或 nps，收到的是 '$1'"),
        ("Error: --chart draws (.+); (\\S+) is a table", "错误：--chart 只能画 $1；$2 是表格"),
        ("Error: --reason is not taken by (\\S+)", "错误：$1 不接受 --reason"),
        ("Error: --as-of: (.+)", "错误：--as-of：$1"),
        ("Error: nothing to change: give field=value or --clear field", "错误：没有要修改的内容：请给出 field=value 或 --clear field"),
        ("Error: give at least one tag", "错误：请至少给出一个标签"),
        ("Error: points must be a positive whole number", "错误：积分必须是正整数"),
        ("Error: CSV exports one entity at a time", "错误：CSV 一次只能导出一个对象"),
        ("Error: choose one of (.+) and (\\S+)", "错误：$1 和 $2 只能选一个"),
        ("Error: a CSAT score is from 1 to 5, got (.*)", "错误：CSAT 分数为 1 到 5，收到的是 $1"),
        ("Error: an NPS score is from 0 to 10, got (.*)", "错误：NPS 分数为 0 到 10，收到的是 $1"),
        ("Error: choose one of (.+)", "错误：$1 只能选一个"),
        ("Error: give exactly one of (.+)", "错误：$1 必须且只能给一个"),
        ("Error: give the new stage \\((.+)\\) or --reopen", "错误：请给出新阶段（$1）或 --reopen"),
        ("Error: the survivor and the duplicate must differ", "错误：保留的记录和重复记录必须不同"),
        ("Error: unknown report '(.*)'; reports: (.+)", "错误：未知报表 '$1'；报表：$2"),
        ("Error: (.*)", "错误：$1"),
        ("Did you mean '(.*)'\\?", "您是不是要输入 '$1'？"),
    ])
}
