import Foundation
import SyncClient
import Testing

/// The news stream's reader (`ServerSentEvents`): events arrive in chunks cut anywhere.
@Suite("Server-sent events")
struct ServerSentEventsTests {
    static let stream = "event: ready\ndata: 7\n\n: ping\n\nevent: news\r\ndata: 12\r\n\r\ndata: a\ndata: b\n\n"
    static let expected = [
        ServerSentEvents.Event(name: "ready", data: "7"), ServerSentEvents.Event(name: "news", data: "12"),
        ServerSentEvents.Event(name: "message", data: "a\nb"),
    ]

    @Test("the same events whatever the chunks", arguments: [1, 2, 3, 5, 8, 1000])
    func chunked(size: Int) throws {
        var reader = ServerSentEvents()
        let bytes = Array(Self.stream.utf8)
        var events: [ServerSentEvents.Event] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            events += try reader.feed(bytes[start..<min(start + size, bytes.count)])
        }
        #expect(events == Self.expected)
    }

    @Test("an event not yet ended by a blank line is not delivered")
    func unfinished() throws {
        var reader = ServerSentEvents()
        #expect(try reader.feed(Array("event: news\ndata: 3\n".utf8)).isEmpty)
        #expect(try reader.feed(Array("\n".utf8)) == [ServerSentEvents.Event(name: "news", data: "3")])
    }

    @Test("a line without end is refused instead of growing without bound")
    func endlessLine() throws {
        var reader = ServerSentEvents()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 70_000)
        #expect(throws: (any Error).self) { try reader.feed(chunk) }
    }
}
