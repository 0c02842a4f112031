import Foundation
import SyncClient
import SyncCore
import Synchronization

/// A device's transport under load: one of several servers (it may move to another between
/// actions, as behind a load balancer), timing every HTTP request and counting every failed
/// one — including those the client then retried, which the sync summary never shows.
final class LoadTransport: SyncTransport {
    private let servers: [URLSessionTransport]
    private let current: Mutex<Int>
    private let recorder: StatsRecorder

    init(servers: [URL], first: Int, recorder: StatsRecorder) {
        self.servers = servers.map { URLSessionTransport(baseURL: $0) }
        self.current = Mutex(first % max(1, servers.count))
        self.recorder = recorder
    }

    /// Moves to another server with probability `chance`.
    func maybeSwitch(chance: Double, rng: inout SplitMix64) {
        guard servers.count > 1, Double.random(in: 0..<1, using: &rng) < chance else { return }
        let next = Int.random(in: 0..<(servers.count - 1), using: &rng)
        current.withLock { $0 = next >= $0 ? next + 1 : next }
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let server = servers[current.withLock { $0 }]
        let start = ContinuousClock.now
        do {
            let response = try await server.send(request)
            let elapsed = (ContinuousClock.now - start).seconds
            recorder.update { stats in
                stats.record("request", seconds: elapsed)
                if !(200..<300).contains(response.status) {
                    stats.errors["HTTP \(response.status) \(Self.errorCode(response.body))", default: 0] += 1
                }
            }
            return response
        } catch {
            let kind = (error as? URLError).map { "network \($0.code.rawValue)" } ?? "network \(type(of: error))"
            recorder.update { $0.errors[kind, default: 0] += 1 }
            throw error
        }
    }

    /// The stable error code of an error body, or `?` when there is none.
    static func errorCode(_ body: Data) -> String {
        struct Body: Decodable {
            struct Error: Decodable { var code: String }
            var error: Error
        }
        let plain = Gzip.isCompressed(body) ? ((try? Gzip.decompress(body)) ?? Data()) : body
        return (try? JSONDecoder().decode(Body.self, from: plain))?.error.code ?? "?"
    }
}
