import ArgumentParser
import FieldWork
import Foundation
import SyncClient
import SyncCore
import SyncStore

/// `fieldsync sync`: pushes unsynced changes and pulls until the server has nothing more.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: CLIHelp.sync(),
        discussion: CLIHelp.syncDiscussion(["refused": Self.refusedExit, "unreachable": Self.unreachableExit])
    )

    /// The exit status when the server refused some changes.
    static let refusedExit: Int32 = 3
    /// The exit status when the server could not be reached.
    static let unreachableExit: Int32 = 4

    /// What `--json` prints when the sync could not happen.
    struct Failure: Encodable {
        var ok = false
        var code: String
        var message: String
        var unsyncedChanges: Int
    }

    @OptionGroup var device: DeviceOptions

    @Flag(help: ArgumentHelp(CLIHelp.syncJSON()))
    var json = false

    @Flag(help: ArgumentHelp(CLIHelp.syncWatch()))
    var watch = false

    @Option(help: ArgumentHelp(CLIHelp.syncPollInterval()))
    var pollInterval: Int?

    func validate() throws {
        if let pollInterval {
            guard watch else { throw ValidationError(UsageText.pollIntervalWithWatch()) }
            guard pollInterval >= 1 else { throw ValidationError(UsageText.pollIntervalPositive()) }
        }
    }

    func run() async throws {
        let store = try device.openStore()
        // An enrollment whose answer never arrived goes to its server first (the sync sends it again).
        let unanswered = try store.pendingEnrollment().flatMap { $0.answered ? nil : $0.serverURL }
        guard let server = try unanswered ?? store.setting("server_url"), let url = URL(string: server) else {
            throw CommandErrors.failure(CLIPhrases.text(SyncClientError.notEnrolled.message, cliLanguage))
        }
        let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url, language: serverLanguage(json: json)), logger: device.logger)
        if watch {
            return try await watchServer(client, store: store)
        }
        let progress = ProgressLine(enabled: !json)
        let summary: SyncSummary
        do {
            summary = try await CommandErrors.contactingServer(device, store, passing: { json || $0.isUnreachable }) {
                try await client.sync { step in progress.update(step) }
            }
        } catch let error as SyncClientError where error.isUnreachable {
            // The edits made offline are safe in the store; say so, and how to tell from a script.
            progress.finish()
            let unsynced = (try? store.outbox().count) ?? 0
            let kept = unsynced == 0 ? CLIString.unreachableNothingWaiting() : CLIString.unreachableKept(["n": unsynced])
            TerminalOutput.write(CLIString.error(["message": "\(CommandErrors.text(of: error))\(cliLanguage == .chinese ? "；" : "; ")\(kept)"]) + "\n", to: .standardError)
            if json { try JSONOutput.print(Failure(code: error.code, message: error.description, unsyncedChanges: unsynced)) }
            throw ExitCode(Self.unreachableExit)
        } catch let error as SyncClientError where json {
            // Scripts read the JSON on stdout; people read the line on stderr.
            let unsynced = (try? store.outbox().count) ?? 0
            TerminalOutput.write(CLIString.error(["message": CommandErrors.text(of: error)]) + "\n", to: .standardError)
            try JSONOutput.print(Failure(code: error.code, message: error.description, unsyncedChanges: unsynced))
            throw ExitCode(1)
        }
        progress.finish()
        // The territory list for `create` and `edit`; an older server without one, or a
        // failure here, leaves the last list in place (the sync itself went through).
        do {
            try await client.refreshTerritories()
        } catch {
            device.logger.warning("territory list not refreshed", metadata: ["error": "\(error)"])
        }
        if json {
            try JSONOutput.print(summary)
            if summary.rejected > 0 { throw ExitCode(Self.refusedExit) }
            return
        }
        print(CLIString.pushed(["pushed": summary.pushed, "accepted": summary.accepted, "duplicates": summary.duplicates, "rejected": summary.rejected]))
        for (code, count) in summary.rejections.sorted(by: { $0.key < $1.key }) {
            print(CLIString.rejectedKept(["count": count, "code": code]))
        }
        if summary.evicted + summary.arrived + summary.resyncs > 0 {
            print(CLIString.scope(["arrived": summary.arrived, "evicted": summary.evicted]) + (summary.resyncs > 0 ? CLIString.resynced() : ""))
        }
        let pulled: KeyValuePairs<String, Any> = [
            "pulled": summary.pulled, "snapshot": summary.snapshotRecords, "opened": summary.conflictsOpened,
            "closed": summary.conflictsClosed, "cursor": summary.cursor.map(String.init) ?? CLIString.cursorValue(),
        ]
        print((summary.snapshotRecords > 0 ? CLIString.pulledSnapshot : CLIString.pulled)(pulled))
        if summary.rejected > 0 { throw ExitCode(Self.refusedExit) }
    }
}

/// A one-line progress display on stderr when it is a terminal (nothing on a pipe): rounds,
/// pushed and pulled changes and, during a bootstrap, the records received of the total the
/// server counted, with an estimate of the time left.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: only touched from the sync loop, which calls it sequentially.
    private var line: StatusLine
    /// The rate of snapshot records, from the first snapshot page of this run.
    private var rate = RateMeter()

    init(enabled: Bool) { line = StatusLine(enabled: enabled) }

    func update(_ progress: SyncProgress) {
        guard line.enabled else { return }
        let perSecond = progress.snapshotRecords > 0 ? rate.perSecond(progress.snapshotRecords) : nil
        line.show(Self.text(progress, recordsPerSecond: perSecond))
    }

    /// The line for one progress report; `recordsPerSecond` (measured over this run) gives the
    /// estimate of the time left.
    static func text(_ progress: SyncProgress, recordsPerSecond: Double?) -> String {
        var text = CLIString.progressRound(["round": progress.rounds, "pushed": progress.pushed, "pulled": progress.pulled])
        guard progress.snapshotRecords > 0 else { return text }
        if let total = progress.snapshotTotal, total > 0 {
            let received = progress.snapshotRecords
            text += CLIString.progressSnapshotOf(["received": received, "total": total, "percent": min(100, received * 100 / total)])
            if progress.bootstrapping, let left = RateMeter.timeLeft(done: received, total: total, perSecond: recordsPerSecond) {
                text += CLIString.progressLeft(["left": left])
            }
        } else {
            text += CLIString.progressSnapshot(["received": progress.snapshotRecords])
        }
        return text + (progress.bootstrapping ? CLIString.progressBootstrapping() : "")
    }

    func finish() { line.finish() }
}

extension SyncCommand {
    /// `--watch`: syncs whenever there is news, edits or the poll interval passed, one line per
    /// event, until interrupted. Only what no retry helps (a revoked or wiped device) ends it.
    func watchServer(_ client: SyncClient, store: DeviceStore) async throws {
        let poll = pollInterval ?? 60
        let json = self.json
        let report: @Sendable (WatchReport) -> Void = { event in
            let time = Self.clock(Date())
            if json {
                try? WatchLine(event, time: time).write()
                return
            }
            let line: String = switch event {
            case .synced(let summary, let reason):
                CLIString.watchSynced([
                    "time": time, "reason": Self.reasonText(reason), "pushed": summary.pushed, "rejected": summary.rejected,
                    "pulled": summary.pulled + summary.snapshotRecords, "cursor": summary.cursor.map(String.init) ?? CLIString.cursorValue(),
                ])
            case .listening:
                CLIString.watchListening(["time": time])
            case .streamLost(let error, let delay):
                CLIString.watchStreamLost(["time": time, "message": CommandErrors.text(of: error), "seconds": Self.seconds(delay), "poll": poll])
            case .syncFailed(let error, let delay):
                CLIString.watchSyncFailed(["time": time, "message": CommandErrors.text(of: error), "seconds": Self.seconds(delay)])
            }
            TerminalOutput.write(line + "\n")
        }
        // A wiped device deletes its store and says why, as `sync` does; what else ends the
        // watch (a revoked device) is one line on stderr.
        try await CommandErrors.contactingServer(device, store) {
            try await client.watch(WatchOptions(pollInterval: .seconds(poll)), report: report)
        }
    }

    static func reasonText(_ reason: WatchReason) -> String {
        switch reason {
        case .start: CLIString.watchReasonStart()
        case .news: CLIString.watchReasonNews()
        case .localEdit: CLIString.watchReasonLocalEdit()
        case .poll: CLIString.watchReasonPoll()
        case .retry: CLIString.watchReasonRetry()
        }
    }

    /// The local time of day, `HH:mm:ss`.
    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", duration.seconds)
    }

    /// One line of `--watch --json`: what happened, with its summary or error.
    struct WatchLine: Encodable {
        var event: String
        var time: String
        var reason: WatchReason?
        var summary: SyncSummary?
        var code: String?
        var message: String?
        var retryInSeconds: Double?

        init(_ report: WatchReport, time: String) {
            self.time = time
            switch report {
            case .synced(let summary, let reason):
                (event, self.summary, self.reason) = ("synced", summary, reason)
            case .listening:
                event = "listening"
            case .streamLost(let error, let delay), .syncFailed(let error, let delay):
                if case .streamLost = report { event = "stream_lost" } else { event = "sync_failed" }
                (code, message, retryInSeconds) = (error.code, error.description, Double(SyncCommand.seconds(delay)))
            }
        }

        /// One compact JSON object and a line break, written at once (a script reads lines).
        func write() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(self) + Data("\n".utf8))
        }
    }
}
