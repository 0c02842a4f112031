import ArgumentParser
import Dispatch
import Foundation
import SyncClient
import SyncCore

/// `fieldsync sync --watch`: runs a `LiveWatch` until SIGINT or SIGTERM, one line per sync
/// that moved something (a JSON object per line with `--json`).
struct SyncWatch {
    let device: DeviceOptions
    let json: Bool
    let pollInterval: Double

    /// One line of `--json` output.
    struct Line: Encodable {
        var event: String
        var reason: String?
        var summary: SyncSummary?
        var code: String?
        var message: String?
    }

    func run() async throws {
        let store = try device.openStore()
        let unanswered = try store.pendingEnrollment().flatMap { $0.answered ? nil : $0.serverURL }
        guard let server = try unanswered ?? store.setting("server_url"), let url = URL(string: server) else {
            throw CommandErrors.failure(SyncClientError.notEnrolled.message)
        }
        let transport = URLSessionTransport(baseURL: url)
        let client = SyncClient(store: store, transport: transport, logger: device.logger)
        let watch = LiveWatch(client: client, transport: transport, options: LiveWatch.Options(pollInterval: .milliseconds(Int64(pollInterval * 1000))))
        let signals = Self.onTermination { watch.stop() }
        defer { signals.forEach { $0.cancel() } }
        let json = self.json
        try await CommandErrors.contactingServer(device, store) {
            try await watch.run { event in Self.show(event, json: json) }
        }
        if !json { TerminalOutput.write("watch ended\n", to: .standardError) }
    }

    static func show(_ event: LiveWatch.Event, json: Bool) {
        switch event {
        case .synced(let summary, let reason):
            if json {
                emit(Line(event: "synced", reason: reason.rawValue, summary: summary))
            } else if summary.pushed + summary.pulled + summary.snapshotRecords + summary.evicted + summary.arrived > 0 || reason == .start {
                // Unbuffered: a script reading the pipe sees each line as it happens.
                FileHandle.standardOutput.write(Data("\(timestamp()) \(reason.rawValue): pushed \(summary.pushed) (\(summary.accepted) accepted, \(summary.rejected) rejected), pulled \(summary.pulled); cursor \(summary.cursor.map(String.init) ?? "-")\n".utf8))
            }
        case .syncFailed(let error):
            if json { emit(Line(event: "sync-failed", code: error.code, message: error.message)) }
            TerminalOutput.write("\(timestamp()) sync failed, retried at the next occasion: \(error.description)\n", to: .standardError)
        case .connected:
            if json { emit(Line(event: "connected")) }
        case .disconnected(let error, let delay):
            if json { emit(Line(event: "disconnected", code: error.code, message: error.message)) }
            TerminalOutput.write("\(timestamp()) watch connection lost (\(error.description)); reconnecting in \(seconds(delay)) s\n", to: .standardError)
        }
    }

    private static func emit(_ line: Line) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(line) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }

    private static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        return String(format: "%.1f", Double(components.seconds) + Double(components.attoseconds) / 1e18)
    }

    /// Calls `stop` on SIGINT or SIGTERM instead of dying, so the sync under way finishes.
    static func onTermination(_ stop: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }
}
