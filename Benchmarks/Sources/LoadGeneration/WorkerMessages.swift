import Foundation

/// Coordinator → worker, one JSON line each on the worker's stdin (after the assignment).
struct WorkerCommand: Codable {
    enum Kind: String, Codable {
        /// Run the load phase.
        case start
        /// Sync every device until its outbox is answered.
        case flush
        /// Sync every device once more and compare it with its user's reference.
        case verify
    }

    var command: Kind
    /// For `verify`: each user's reference dump, written by the coordinator.
    var references: [String: ScopeReference]?
}

/// What a fresh device of a user bootstrapped after the load: the server's data for that
/// user's scope, in canonical form.
public struct ScopeReference: Codable, Sendable, Hashable {
    public var path: String
    public var digest: String
    public var records: Int
}

/// Worker → coordinator, one JSON line each on the worker's stdout.
struct WorkerEvent: Codable {
    enum Kind: String, Codable {
        case ready, loaded, flushed, verified, failed
    }

    var event: Kind
    var stats: LoadStats?
    var checks: [DeviceCheck]?
    var message: String?
}

/// One device compared with its user's reference after the load.
public struct DeviceCheck: Codable, Sendable, Hashable {
    public var device: Int
    public var user: String
    public var records: Int
    public var digest: String
    public var matches: Bool
    /// Unacknowledged and rejected outbox entries left after the flush.
    public var pendingChanges: Int
    public var rejectedChanges: Int
    /// The first differences, when it does not match.
    public var differences: [String]
}

/// Newline-delimited JSON over pipes between the coordinator and its workers.
final class LineChannel: @unchecked Sendable {
    // @unchecked: `buffer` is touched only on `queue`.
    private let input: FileHandle
    private let output: FileHandle?
    private let queue = DispatchQueue(label: "fieldsync.load.lines")
    private var buffer = Data()

    init(reading input: FileHandle, writing output: FileHandle?) {
        self.input = input
        self.output = output
    }

    func send<Message: Encodable>(_ message: Message) throws {
        var line = try JSONEncoder().encode(message)
        line.append(UInt8(ascii: "\n"))
        try output?.write(contentsOf: line)
    }

    /// The next line decoded, or nil at end of input. Blocking reads run off the
    /// cooperative pool, so device tasks keep running meanwhile.
    func receive<Message: Decodable>(_ type: Message.Type) async throws -> Message? {
        let line: Data? = await withCheckedContinuation { continuation in
            queue.async {
                while true {
                    if let newline = self.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = self.buffer[self.buffer.startIndex..<newline]
                        self.buffer.removeSubrange(self.buffer.startIndex...newline)
                        continuation.resume(returning: Data(line))
                        return
                    }
                    let chunk = self.input.availableData
                    if chunk.isEmpty {
                        continuation.resume(returning: nil)
                        return
                    }
                    self.buffer.append(chunk)
                }
            }
        }
        guard let line else { return nil }
        return try JSONDecoder().decode(Message.self, from: line)
    }
}
