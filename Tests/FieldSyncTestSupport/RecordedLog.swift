import Foundation
import Logging
import Synchronization

/// A log handler that keeps what is logged to it, for a test to read: each message as
/// "level: message [metadata] @seconds-since-1970", the oldest dropped past `capacity`.
///
/// A value, as swift-log wants its handlers: every copy of a logger has its own metadata and
/// level (postgres-nio sets a connection id on its copy for every query, from many threads),
/// and the copies share the lines, behind a lock.
public struct RecordedLog: LogHandler, Sendable {
    private let recorded: Recorded
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    private final class Recorded: Sendable {
        let lines = Mutex<[String]>([])
        let capacity: Int
        init(capacity: Int) { self.capacity = capacity }
    }

    public init(capacity: Int = .max, level: Logger.Level = .trace) {
        self.recorded = Recorded(capacity: capacity)
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let entry = "\(event.level): \(event.message)\(event.metadata.map { " \($0)" } ?? "") @\(Date().timeIntervalSince1970)"
        recorded.lines.withLock { lines in
            if lines.count == recorded.capacity { lines.removeFirst() }
            lines.append(entry)
        }
    }

    /// The messages kept, oldest first.
    public var lines: [String] { recorded.lines.withLock { $0 } }

    /// The messages kept, one per line.
    public var text: String { lines.joined(separator: "\n") }
}
