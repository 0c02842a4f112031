import Foundation
import Synchronization
import SyncClient

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Which faults a `FaultInjectingTransport` or `FaultProxy` injects, and how often.
struct FaultPlan: Sendable {
    var dropRequest = 0.08
    var dropResponse = 0.08
    var delay = 0.10
    var truncateResponse = 0.05
    var truncateRequest = 0.04
    var duplicateRequest = 0.06
    var replayOldRequest = 0.04
    /// Answers cut inside their head (status line and headers), only by `FaultProxy`. Off by
    /// default: Foundation's URLSession on Linux traps on such an answer (see
    /// `Fault.cutResponseHead`), so only clients in processes of their own may meet it.
    var cutResponseHead = 0.0
    /// The longest injected delay.
    var maxDelayMilliseconds = 40

    static let none = FaultPlan(
        dropRequest: 0, dropResponse: 0, delay: 0, truncateResponse: 0, truncateRequest: 0, duplicateRequest: 0, replayOldRequest: 0
    )

    /// Every answer to a sync request cut inside its head.
    static let cutHeads = FaultPlan(
        dropRequest: 0, dropResponse: 0, delay: 0, truncateResponse: 0, truncateRequest: 0, duplicateRequest: 0, replayOldRequest: 0,
        cutResponseHead: 1
    )
}

/// One fault drawn for one exchange.
enum Fault: String, Sendable, CaseIterable {
    case dropRequest = "dropped request"
    case dropResponse = "dropped response after the server processed the request"
    case delay = "delayed exchange"
    case truncateResponse = "truncated response body"
    case truncateRequest = "truncated request body"
    case duplicateRequest = "duplicated request"
    case replayOldRequest = "replayed an old request"
    /// The connection ends inside the answer's status line or headers. URLSession on Linux
    /// (swift-corelibs-foundation, Swift 6.3.1) then stops the process with "Transfer
    /// completed, but there's no response" instead of failing the request
    /// (swiftlang/swift-corelibs-foundation#5285, fixed upstream by #5286).
    case cutResponseHead = "response cut inside its head"

    /// Draws at most one fault for the next exchange.
    static func draw(_ plan: FaultPlan, rng: inout SplitMix64) -> Fault? {
        let roll = Double.random(in: 0..<1, using: &rng)
        var threshold = 0.0
        let choices: [(Fault, Double)] = [
            (.dropRequest, plan.dropRequest), (.dropResponse, plan.dropResponse), (.delay, plan.delay),
            (.truncateResponse, plan.truncateResponse), (.truncateRequest, plan.truncateRequest),
            (.duplicateRequest, plan.duplicateRequest), (.replayOldRequest, plan.replayOldRequest),
            (.cutResponseHead, plan.cutResponseHead),
        ]
        for (fault, probability) in choices {
            threshold += probability
            if roll < threshold { return fault }
        }
        return nil
    }
}

/// A `SyncTransport` that wraps another and, seeded, drops requests, drops responses after the
/// server processed them, delays, truncates request and response bodies, duplicates requests
/// (concurrently or one after the other) and replays old requests. Only `/v1/sync` is
/// touched: enrollment is not retryable by design (its code is single use).
final class FaultInjectingTransport: SyncTransport {
    private struct State {
        var rng: SplitMix64
        var enabled = true
        var history: [TransportRequest] = []
    }

    let inner: any SyncTransport
    let plan: FaultPlan
    let tally: FaultTally
    private let state: Mutex<State>

    init(_ inner: any SyncTransport, seed: UInt64, plan: FaultPlan = FaultPlan(), tally: FaultTally) {
        self.inner = inner
        self.plan = plan
        self.tally = tally
        self.state = Mutex(State(rng: SplitMix64(seed: seed)))
    }

    /// Turns fault injection on or off (recovery phases run with it off).
    func setEnabled(_ enabled: Bool) {
        state.withLock { $0.enabled = enabled }
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let (fault, cut, delay, replay): (Fault?, Double, Int, TransportRequest?) = state.withLock { state in
            guard state.enabled, request.path.hasSuffix("/v1/sync") else { return (nil, 0, 0, nil) }
            let fault = Fault.draw(plan, rng: &state.rng)
            let cut = Double.random(in: 0.05..<0.95, using: &state.rng)
            let delay = Int.random(in: 1...max(1, plan.maxDelayMilliseconds), using: &state.rng)
            let replay = state.history.isEmpty ? nil : state.history[Int.random(in: 0..<state.history.count, using: &state.rng)]
            state.history.append(request)
            if state.history.count > 50 { state.history.removeFirst() }
            return (fault, cut, delay, replay)
        }
        guard let fault else { return try await inner.send(request) }
        tally.count(fault.rawValue)
        switch fault {
        case .dropRequest:
            throw URLError(.networkConnectionLost)
        case .dropResponse, .cutResponseHead:
            // Without bytes to cut, an answer cut in its head is an answer lost.
            _ = try await inner.send(request)
            throw URLError(.timedOut)
        case .delay:
            try await Task.sleep(for: .milliseconds(delay))
            return try await inner.send(request)
        case .truncateResponse:
            var response = try await inner.send(request)
            response.body = response.body.prefix(Int(Double(response.body.count) * cut))
            return response
        case .truncateRequest:
            var truncated = request
            truncated.body = request.body.prefix(Int(Double(request.body.count) * cut))
            return try await inner.send(truncated)
        case .duplicateRequest:
            if cut < 0.5 {
                // Both copies at once: the server must apply each change once.
                async let first = inner.send(request)
                async let second = inner.send(request)
                let answers = try await [first, second]
                return answers[cut < 0.25 ? 0 : 1]
            }
            _ = try await inner.send(request)
            return try await inner.send(request)
        case .replayOldRequest:
            if let replay { _ = try? await inner.send(replay) }
            return try await inner.send(request)
        }
    }
}
