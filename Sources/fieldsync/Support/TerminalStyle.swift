import Foundation

/// What the terminal on stdout can show: its width, and whether colour is wanted.
enum TerminalStyle {
    /// The columns tables may use: `COLUMNS` when set to a number, else the width of the
    /// terminal on stdout; nil (no limit) for a pipe or a file.
    static let width: Int? = {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return columns
        }
        guard isatty(STDOUT_FILENO) != 0 else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }()

    /// Colour on a terminal, never on a pipe or with `NO_COLOR` set (no-color.org);
    /// `CLICOLOR_FORCE=1` asks for it on a pipe too (NO_COLOR still wins).
    static let colours: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if let force = environment["CLICOLOR_FORCE"], !force.isEmpty, force != "0" { return true }
        return isatty(STDOUT_FILENO) != 0 && environment["TERM"] != "dumb"
    }()

    /// How a line stands out.
    enum Emphasis {
        case plain
        /// Needs action now (overdue): red.
        case alert
    }

    /// `text` (already escaped for the terminal) in the colour of `emphasis`, when colour is on.
    static func styled(_ text: String, _ emphasis: Emphasis, colours: Bool = Self.colours) -> String {
        guard colours else { return text }
        switch emphasis {
        case .plain: return text
        case .alert: return "\u{1B}[31m" + text + "\u{1B}[0m"
        }
    }
}

extension TerminalOutput {
    /// Writes a line whose control characters were escaped already and that may carry the
    /// colour codes of `TerminalStyle` (the shadowing `print` would escape those too).
    static func writeStyled(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
