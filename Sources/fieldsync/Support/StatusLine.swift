import CRM
import FieldWork
import Foundation
import SyncStore

/// One line of status on stderr, rewritten in place (`\r`), shown only when stderr is a
/// terminal: a pipe or a log file never sees it, unless asked for (`--progress`), and then
/// gets each status on a line of its own. `finish()` ends the line with a newline.
struct StatusLine {
    let enabled: Bool
    /// Off a terminal: each status is a line of its own, not rewritten.
    private let appends: Bool
    private var lastLength = 0

    init(enabled: Bool, offTerminal: Bool = false) {
        let terminal = isatty(STDERR_FILENO) != 0
        self.enabled = enabled && (terminal || offTerminal)
        appends = !terminal
    }

    mutating func show(_ text: String) {
        guard enabled else { return }
        if appends {
            FileHandle.standardError.write(Data((text + "\n").utf8))
            return
        }
        FileHandle.standardError.write(Data(("\r" + text.padding(toLength: max(lastLength, text.count), withPad: " ", startingAt: 0)).utf8))
        lastLength = text.count
    }

    func finish() {
        if enabled && !appends && lastLength > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// A rate measured from the first call, for "about 40 s left".
struct RateMeter {
    private var start: (time: Date, done: Int)?

    /// Units per second since the first call (`done` counts from wherever the job stood
    /// then); nil in the first second.
    mutating func perSecond(_ done: Int, now: Date = Date()) -> Double? {
        guard let start else {
            self.start = (now, done)
            return nil
        }
        let seconds = now.timeIntervalSince(start.time)
        return seconds >= 1 ? Double(done - start.done) / seconds : nil
    }

    /// The time left at `perSecond` ("40 s", "3 min 5 s"); nil without a rate or when done.
    static func timeLeft(done: Int, total: Int, perSecond: Double?) -> String? {
        guard let perSecond, perSecond > 0, done < total else { return nil }
        return duration(Double(total - done) / perSecond)
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole) s" : whole < 3600 ? "\(whole / 60) min \(whole % 60) s" : "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}

/// Progress of a long local job over a known count (an import): "importing 12,000 of 100,000
/// records (12%), about 40 s left", on a terminal, or also off one when `offTerminal`
/// (`--progress`: a line per report).
final class CountProgress: @unchecked Sendable {
    // @unchecked: called from inside one store transaction, sequentially.
    private var line: StatusLine
    private var rate = RateMeter()
    init(offTerminal: Bool = false) {
        line = StatusLine(enabled: true, offTerminal: offTerminal)
    }

    /// What the store's import reports to this line; nil when nothing is shown, so the
    /// import does not call back for nothing.
    var importProgress: ImportProgress? {
        line.enabled ? ImportProgress { self.update($0, of: $1) } : nil
    }

    func update(_ done: Int, of total: Int) {
        guard line.enabled else { return }
        line.show(Self.text(done: done, total: total, perSecond: rate.perSecond(done)))
    }

    static func text(done: Int, total: Int, perSecond: Double?) -> String {
        let percent = total > 0 ? min(100, done * 100 / total) : 100
        let (shownDone, shownTotal) = (ReportFormat.grouped(String(done)), ReportFormat.grouped(String(total)))
        if let left = RateMeter.timeLeft(done: done, total: total, perSecond: perSecond) {
            return CLIString.importingLeft(["done": shownDone, "total": shownTotal, "percent": percent, "left": left])
        }
        return CLIString.importing(["done": shownDone, "total": shownTotal, "percent": percent])
    }

    func finish() { line.finish() }
}
