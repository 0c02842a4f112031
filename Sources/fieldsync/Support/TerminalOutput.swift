import ArgumentParser
import Foundation
import SyncCore

// Text the CLI prints for people goes through here, so a control character that reached a
// record (from an older server, a restored backup) is shown as `\u{1B}` instead of ringing the
// bell, moving the cursor or recolouring the terminal. JSON output has its own escaping and
// CSV output is for spreadsheets (its cells are guarded by `CSVWriter`).

/// Shadows `Swift.print` for the whole executable.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(ControlCharacters.escaped(text), terminator: terminator)
}

enum TerminalOutput {
    /// Writes `text` to `handle` with control characters escaped.
    static func write(_ text: String, to handle: FileHandle = .standardOutput) {
        handle.write(Data(ControlCharacters.escaped(text).utf8))
    }
}

/// `--bom` for CSV output.
struct CSVOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(CLIHelp.csvBOM()))
    var bom = false

    /// Writes a CSV document to stdout, behind a byte order mark when asked.
    func write(_ csv: String) {
        FileHandle.standardOutput.write(Data(((bom ? "\u{FEFF}" : "") + csv).utf8))
    }
}
