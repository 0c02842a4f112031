import Foundation

/// The check that a text said in Chinese holds no English prose, shared by the CLI's, the
/// server's and the refusal catalogue's tests (`CLILanguageEndToEndTests.theCheckCanFail`
/// shows what it finds and what it lets pass).
public enum EnglishProse {
    /// English prose left in a line a person reads: a run of three or more English words
    /// between Chinese text, once the parts that stay as typed in every language are taken out
    /// (commands in backticks and `fieldsync …` examples, usage syntax, what is quoted as typed, lists of
    /// names such as `account, contact, lead`, flags, `field=value`, codes with `_`, ids,
    /// numbers, paths, e-mails, words in capitals such as CNY or ID, and the record values
    /// the test typed).
    public static func runs(in line: String, values: [String] = []) -> [String] {
        var text = line
        for value in values where !value.isEmpty { text = text.replacingOccurrences(of: value, with: " ") }
        text = text.replacing(/`[^`]*`/, with: " ").replacing(/'[^']*'/, with: " ")
            .replacing(/(?:[a-z][a-z_]*, ){2,}[a-z][a-z_]*/, with: " ").replacing(/fieldsync(?: [a-z][a-z-]*)*/, with: " ")
            .replacing(/--[a-z][a-z-]*/, with: " ")
        let kept = text.split(separator: " ").filter { token in
            !(token.hasPrefix("-") || token.hasPrefix("[") || token.contains("<") || token.contains("=") || token.contains("_") || token.contains("@") || token.contains("/")
                || token.contains(where: \.isNumber) || token.allSatisfy { $0.isASCII && !$0.isLowercase })
        }
        text = kept.joined(separator: " ")
        // Runs of ASCII words between characters that are not ASCII (Chinese, full-width marks);
        // words in capitals are placeholders (YYYY-MM-DD) or codes, not prose.
        let segments = text.split { !$0.isASCII }
        return segments.compactMap { segment in
            let words = segment.matches(of: /[A-Za-z]{2,}/).filter { $0.output.contains(where: \.isLowercase) }
            return words.count >= 3 ? String(segment).trimmingCharacters(in: .whitespaces) : nil
        }
    }

    /// Every line of `output` with English prose in it.
    public static func lines(in output: String, values: [String] = []) -> [String] {
        output.split(separator: "\n").map(String.init).filter { !runs(in: $0, values: values).isEmpty }
    }
}
