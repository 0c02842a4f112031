/// What a watch connection (`GET /v1/watch`, server-sent events) carries: announcements that
/// the log moved, and pings. The stream is defined here once, for the server that writes it and
/// the device that reads it.
///
/// ```
/// retry: 3000
/// event: news
/// data: {"position":1234}
///
/// : ping
///
/// ```
///
/// An announcement carries no data: the device pulls as usual when `position` is past its
/// cursor. Announcements may be lost; the pull is the only source of truth.
public enum LiveAnnouncement: Sendable, Hashable {
    /// The log holds entries up to `position`.
    case news(position: LogSequence)
    /// Nothing new; the connection is alive.
    case ping

    /// The name of the news event.
    public static let newsEvent = "news"
    /// How long a reader of the stream should wait before reconnecting, in milliseconds.
    public static let reconnectMilliseconds = 3000

    /// The text of this announcement on the stream.
    public var text: String {
        switch self {
        case .news(let position): "event: \(Self.newsEvent)\ndata: {\"position\":\(position)}\n\n"
        case .ping: ": ping\n\n"
        }
    }

    /// The first bytes of every stream, before its first announcement.
    public static let preamble = "retry: \(reconnectMilliseconds)\n"
}

/// Reads a server-sent event stream as it arrives, in pieces of any size, into
/// `LiveAnnouncement`s. Pure: it holds the unfinished line and event, no I/O.
///
/// Follows the event-stream format of the HTML standard where it matters here: lines end with
/// LF, CRLF or CR; `:` starts a comment (a ping); an empty line dispatches the event; unknown
/// fields and events are ignored, so a later server may add its own.
public struct ServerSentEventReader: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event = ""
    private var data: [String] = []
    private var sawComment = false
    /// A line longer than this is a broken or hostile stream.
    public static let maxLineBytes = 64 * 1024

    public init() {}

    public struct LineTooLong: Error, Sendable {}

    /// Feeds bytes; returns the announcements they completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [LiveAnnouncement] {
        var found: [LiveAnnouncement] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if let announcement = endLine() { found.append(announcement) }
            } else {
                guard line.count < Self.maxLineBytes else { throw LineTooLong() }
                line.append(byte)
            }
        }
        return found
    }

    private mutating func endLine() -> LiveAnnouncement? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix(":") {
            sawComment = true
            return nil
        }
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data": data.append(String(value))
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> LiveAnnouncement? {
        defer {
            event = ""
            data = []
            sawComment = false
        }
        if event == LiveAnnouncement.newsEvent, let position = Self.position(in: data.joined(separator: "\n")) {
            return .news(position: position)
        }
        return sawComment && data.isEmpty && event.isEmpty ? .ping : nil
    }

    /// The position of `{"position":N}`, read without a JSON decoder (SyncCore has none of
    /// Foundation's); nil for anything else.
    static func position(in text: String) -> LogSequence? {
        let compact = text.filter { !$0.isWhitespace }
        let prefix = "{\"position\":"
        guard compact.hasPrefix(prefix), compact.hasSuffix("}") else { return nil }
        let digits = compact.dropFirst(prefix.count).dropLast()
        guard let position = LogSequence(digits), position >= 0 else { return nil }
        return position
    }
}
