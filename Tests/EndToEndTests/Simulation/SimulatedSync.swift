import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore

/// Where a simulated sync is cut short.
enum SyncInterruption: Equatable, CustomStringConvertible {
    case none
    /// The request of round `round` never reaches the server.
    case requestLost(round: Int)
    /// The server processes round `round` (pushes are stored) but the answer never arrives.
    case responseLost(round: Int)
    /// The device crashes right after the server processed round `round`: before acknowledge.
    case crashBeforeAcknowledge(round: Int)
    /// The device crashes after applying action `action` of round `round` (acknowledge,
    /// snapshot page, log page…).
    case crashAfterAction(round: Int, action: Int)

    var description: String {
        switch self {
        case .none: return "none"
        case .requestLost(let round): return "request lost in round \(round)"
        case .responseLost(let round): return "response lost in round \(round)"
        case .crashBeforeAcknowledge(let round): return "crash before acknowledge in round \(round)"
        case .crashAfterAction(let round, let action): return "crash after action \(action) of round \(round)"
        }
    }
}

/// What a simulated sync did.
enum SyncOutcome: Equatable {
    case finished(rounds: Int)
    /// The interruption happened (the device will sync again later).
    case interrupted
}

/// Drives one device's sync against the in-process server the way `SyncClient` does: the
/// `SyncSession` state machine decides, this driver does the "I/O", with every message passed
/// through its JSON wire form, written and read by the codecs the client and the server use.
/// Unlike `SyncClient` it reads the simulated clocks, and it can stop at any point between two
/// steps.
struct SimulatedSync {
    let server: SimulatedServer
    /// Counts the server's per-change rejections by reason (they must all be retried later).
    var rejections: FaultTally?
    var batchSize = 15
    var pageLimit = 40

    func run(_ device: SimulatedDevice, interruption: SyncInterruption = .none) async throws -> SyncOutcome {
        let store = try device.open()
        var session = SyncSession(replica: store.replicaID, batchSize: batchSize, pageLimit: pageLimit, maxRounds: 10_000)
        var round = 0
        while !session.isFinished {
            round += 1
            guard round < 5_000 else { throw SimulationError("\(device.name): sync did not finish after \(round) rounds") }
            let request = session.makeRequest(
                outbox: try store.pendingChanges(limit: batchSize * 4), cursor: try store.cursor(),
                bootstrap: try store.bootstrapCursor(), clientTime: device.now
            )
            if interruption == .requestLost(round: round) { return .interrupted }
            // Authenticated on every request, as the HTTP routes do: the device's account (its
            // replicated scope, a revocation) changes between rounds.
            let account = try await server.accounts.authenticate(authorization: "Bearer \(device.token)")
            // The request as the client writes it and the server reads it; `sync` answers the
            // answer's bytes as the client reads them.
            var text = JSONText(capacity: 4096)
            request.write(to: &text)
            let response = try await server.service.sync(try SyncRequest(jsonBytes: text.bytes), from: account)
            server.clock.advance(by: 3)
            switch interruption {
            case .responseLost(round: round):
                return .interrupted
            case .crashBeforeAcknowledge(round: round):
                device.crash()
                return .interrupted
            default:
                break
            }
            for (index, action) in session.receive(response, receivedAt: device.now).enumerated() {
                if case .acknowledge(let results) = action {
                    for result in results where result.status == .rejected {
                        rejections?.count("rejected \(result.code ?? "?")")
                    }
                }
                try SyncClient.perform(action, on: store, session: &session)
                if interruption == .crashAfterAction(round: round, action: index) {
                    device.crash()
                    return .interrupted
                }
            }
        }
        return .finished(rounds: round)
    }

}
