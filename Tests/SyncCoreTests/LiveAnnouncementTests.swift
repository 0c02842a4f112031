import Testing

@testable import SyncCore

/// The watch stream's format: what the server writes, the device reads back, in any pieces.
@Suite("Live announcements as server-sent events")
struct LiveAnnouncementTests {
    static let stream = LiveAnnouncement.preamble + LiveAnnouncement.news(position: 41).text + LiveAnnouncement.ping.text
        + LiveAnnouncement.news(position: 1_234_567_890_123).text

    @Test("what the server writes reads back the same, whatever the pieces it arrives in", arguments: [1, 2, 3, 7, 64, 4096])
    func roundTrip(pieceSize: Int) throws {
        var reader = ServerSentEventReader()
        var read: [LiveAnnouncement] = []
        let bytes = Array(Self.stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            read += try reader.feed(bytes[start..<min(start + pieceSize, bytes.count)])
        }
        #expect(read == [.news(position: 41), .ping, .news(position: 1_234_567_890_123)])
    }

    @Test("CRLF and CR line ends, spaces, unknown fields and events are read as the standard says")
    func lenient() throws {
        var reader = ServerSentEventReader()
        let text = "id: 7\r\nevent: news\r\ndata:{ \"position\" : 5 }\r\n\r\nevent: other\ndata: {\"position\":6}\n\nevent: news\rdata: {\"position\":8}\r\r"
        #expect(try reader.feed(Array(text.utf8)) == [.news(position: 5), .news(position: 8)])
    }

    @Test("news without a readable position is ignored, not misread", arguments: [
        "{\"position\":-1}", "{\"position\":\"7\"}", "{\"position\":7,\"x\":1}", "7", "", "{\"position\":99999999999999999999}",
    ])
    func unreadable(data: String) throws {
        var reader = ServerSentEventReader()
        #expect(try reader.feed(Array("event: news\ndata: \(data)\n\n".utf8)).isEmpty)
    }

    @Test("a line that never ends is refused instead of filling memory")
    func endlessLine() {
        var reader = ServerSentEventReader()
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: ServerSentEventReader.maxLineBytes + 1)
        #expect(throws: ServerSentEventReader.LineTooLong.self) { try reader.feed(line) }
    }
}
