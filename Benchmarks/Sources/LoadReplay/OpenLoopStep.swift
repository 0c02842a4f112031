import AsyncHTTPClient
import Foundation
import LoadGeneration
import NIOCore
import Synchronization
import SyncClient
import SyncCore

/// One request of a step's schedule: when it is due, from which device, what it carries.
struct ScheduledRequest: Sendable {
    /// Seconds after the step's start.
    var due: Double
    var kind: RequestKind
    var body: PreparedBody
}

/// Sends one step's schedule open-loop: every request goes at its scheduled time whatever
/// the answers to earlier ones, except that a device sends one request at a time (a phone
/// does not sync twice at once); a request that waits for its device's previous answer counts
/// that wait in its latency, which is measured from the scheduled time.
struct OpenLoopStep {
    let http: HTTPClient
    let devices: [ReplayDevice]
    /// Each device's requests in time order (index = position in `devices`).
    let lanes: [[ScheduledRequest]]

    func run() async -> (tally: StepTally, start: ContinuousClock.Instant) {
        let tally = StepRecorder()
        let start = ContinuousClock.now + .milliseconds(50)
        await withTaskGroup(of: Void.self) { group in
            for (index, lane) in lanes.enumerated() where !lane.isEmpty {
                let device = devices[index]
                group.addTask {
                    await Self.drive(device, lane: lane, start: start, http: http, tally: tally)
                }
            }
        }
        return (tally.state.withLock { $0 }, start)
    }

    private static func drive(
        _ device: ReplayDevice, lane: [ScheduledRequest], start: ContinuousClock.Instant, http: HTTPClient, tally: StepRecorder
    ) async {
        let url = device.server.absoluteString.trimmingSuffix("/") + "/v1/sync"
        for scheduled in lane {
            let due = start + .nanoseconds(Int64(scheduled.due * 1e9))
            if ContinuousClock.now < due { try? await Task.sleep(until: due, tolerance: .microseconds(100)) }
            let outcome = await send(scheduled, of: device, url: url, http: http)
            let answered = ContinuousClock.now
            tally.state.withLock { tally in
                tally.sent[scheduled.kind, default: 0] += 1
                tally.lastAnswer = max(tally.lastAnswer ?? answered, answered)
                tally.record(scheduled.kind, latency: answered - due, service: answered - outcome.sentAt)
                switch outcome.result {
                case .success(let response) where response.resync:
                    // A device in the replay never changes scope: a resync answer means the
                    // server did not take the request as the device's next step.
                    tally.failures["\(scheduled.kind.rawValue): answered resync", default: 0] += 1
                case .success(let response):
                    tally.succeeded[scheduled.kind, default: 0] += 1
                    tally.changesSent += outcome.changes
                    for result in response.results {
                        switch result.status {
                        case .accepted: tally.accepted += 1
                        case .duplicate: tally.duplicates += 1
                        case .rejected: tally.rejected[result.code ?? "?", default: 0] += 1
                        }
                    }
                    tally.logEntriesPulled += response.changes.count
                    tally.snapshotRecords += response.snapshot?.records.count ?? 0
                case .failure(let failure):
                    tally.failures["\(scheduled.kind.rawValue): \(failure.description)", default: 0] += 1
                }
            }
            // A device follows the log from the cursor of its last answer; a bootstrap page
            // answers for a new phone and leaves this device where it was.
            if case .success(let response) = outcome.result, response.snapshot == nil, let cursor = response.cursor {
                device.cursor = cursor
            }
        }
    }

    private struct Outcome {
        var sentAt: ContinuousClock.Instant
        var changes: Int
        var result: Result<SyncResponse, ReplayError>
    }

    /// One POST /v1/sync with the headers `SyncClient` sends; the answer is read as the
    /// client reads it (gunzip, `JSONReader`).
    private static func send(_ scheduled: ScheduledRequest, of device: ReplayDevice, url: String, http: HTTPClient) async -> Outcome {
        let sentAt = ContinuousClock.now
        let changes = scheduled.kind == .push ? (scheduled.body.changeCount) : 0
        do {
            let (bytes, gzipped) = try scheduled.body.body(cursor: scheduled.kind == .bootstrap ? nil : device.cursor)
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "Accept-Encoding", value: "gzip")
            request.headers.add(name: "Authorization", value: "Bearer \(device.token)")
            if gzipped { request.headers.add(name: "Content-Encoding", value: "gzip") }
            request.body = .bytes(ByteBuffer(bytes: bytes))
            let response = try await http.execute(request, timeout: .seconds(120))
            let buffer = try await response.body.collect(upTo: 512 << 20)
            var body = Data(buffer.readableBytesView)
            if Gzip.isCompressed(body) { body = try Gzip.decompress(body) }
            guard (200..<300).contains(Int(response.status.code)) else {
                let code = (try? JSONDecoder().decode(ErrorBody.self, from: body))?.error.code ?? "?"
                return Outcome(sentAt: sentAt, changes: changes, result: .failure(ReplayError("HTTP \(response.status.code) \(code)")))
            }
            let answer = try SyncResponse(jsonBytes: Array(body))
            return Outcome(sentAt: sentAt, changes: changes, result: .success(answer))
        } catch let error as HTTPClientError {
            return Outcome(sentAt: sentAt, changes: changes, result: .failure(ReplayError("network \(error)")))
        } catch {
            return Outcome(sentAt: sentAt, changes: changes, result: .failure(ReplayError("\(type(of: error))")))
        }
    }
}

/// The tally the lanes of a step share.
final class StepRecorder: Sendable {
    let state = Mutex(StepTally())
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
