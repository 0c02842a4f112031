import Foundation
import Logging
import Synchronization

/// A log handler that keeps what is logged to it, for a test to read: each message as
/// "level: message [metadata] @seconds-since-1970", the oldest dropped past `capacity`.
public final class RecordedLog: LogHandler, @unchecked Sendable {
    // @unchecked: `metadata` and `logLevel` are set when the logger is made; the lines are
    // behind their lock.
    private let recorded = Mutex<[String]>([])
    private let capacity: Int
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    public init(capacity: Int = .max, level: Logger.Level = .trace) {
        self.capacity = capacity
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt
    ) {
        let entry = "\(level): \(message)\(metadata.map { " \($0)" } ?? "") @\(Date().timeIntervalSince1970)"
        recorded.withLock { lines in
            if lines.count == capacity { lines.removeFirst() }
            lines.append(entry)
        }
    }

    /// The messages kept, oldest first.
    public var lines: [String] { recorded.withLock { $0 } }

    /// The messages kept, one per line.
    public var text: String { lines.joined(separator: "\n") }
}
