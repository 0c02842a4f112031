import Foundation
import SyncClient
import SyncCore

/// A request body encoded ahead of time by the project's own wire encoder. Only the cursor
/// is filled in when it is sent (a device sends the cursor of the last answer it read), and
/// then the body is gzipped as `SyncClient` does: above 1 KiB.
struct PreparedBody: Sendable {
    /// The JSON, with `cursorPlaceholder` where the cursor goes (if the request has one).
    let json: [UInt8]
    let cursorRange: Range<Int>?
    /// Changes the request pushes.
    let changeCount: Int

    /// A cursor value no test server reaches; its digits mark the spot in the encoded body.
    static let cursorPlaceholder: LogSequence = 8_765_432_109_876_543_210

    /// Encodes `request` as `SyncClient` does (`JSONText`, else `JSONEncoder` with sorted keys).
    init(_ request: SyncRequest) throws {
        var request = request
        if request.cursor != nil { request.cursor = Self.cursorPlaceholder }
        let json = try JSONText.encodedIfSupported(request) ?? Array(Self.encoder.encode(request))
        self.json = json
        self.changeCount = request.changes.count
        self.cursorRange = request.cursor == nil ? nil : Self.find(Array("\(Self.cursorPlaceholder)".utf8), in: json)
        if request.cursor != nil && cursorRange == nil {
            throw ReplayError("the encoded sync request has no cursor where one was expected")
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The bytes to send and whether they are gzipped.
    func body(cursor: LogSequence?) throws -> (bytes: [UInt8], gzipped: Bool) {
        var bytes = json
        if let cursorRange {
            bytes.replaceSubrange(cursorRange, with: Array("\(cursor ?? 0)".utf8))
        }
        guard bytes.count > 1024 else { return (bytes, false) }
        return (Array(try Gzip.compress(Data(bytes))), true)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
        }
        return nil
    }
}

public struct ReplayError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
