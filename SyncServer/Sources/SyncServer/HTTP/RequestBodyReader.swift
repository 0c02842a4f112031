import Foundation
import HTTPTypes
import Hummingbird
import SyncCore

/// Reads a JSON request body the way every endpoint expects it: `Content-Type:
/// application/json`, optionally `Content-Encoding: gzip`, at most `maxBytes` as sent and as
/// decoded, and JSON of the endpoint's shape that reads as the endpoint's type — each failure
/// with its own code. `JSONReader` is the one parser facing the network.
///
/// The bytes of a body being received are taken from the server's `RequestMemoryBudget`
/// (all of a declared `Content-Length` at once, before reading) and given back once it is read.
struct RequestBodyReader: Sendable {
    var maxBytes: Int
    var budget: RequestMemoryBudget

    init(maxBytes: Int, budget: RequestMemoryBudget) {
        self.maxBytes = maxBytes
        self.budget = budget
    }

    /// The decoded (un-gzipped) body bytes.
    func bytes(of request: Request) async throws -> ByteBuffer {
        let mediaType = request.headers[.contentType].map(Self.mediaType(of:))
        guard mediaType == "application/json" else {
            throw request.headers[.contentType].map { ServerError(.unsupportedMediaType, .bodyNotJSON, ["contentType": $0]) }
                ?? ServerError(.unsupportedMediaType, .bodyWithoutContentType)
        }
        let encoding = request.headers[.contentEncoding].map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "identity"
        guard ["identity", "gzip", "x-gzip"].contains(encoding) else {
            throw ServerError(.unsupportedMediaType, .encodingNotSupported, ["encoding": encoding])
        }
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > maxBytes {
            throw ServerError(.payloadTooLarge, .bodyHasTooManyBytes, ["bytes": declared, "limit": maxBytes])
        }
        var taken = 0
        defer { budget.give(taken) }
        if let declared, declared > 0 {
            try budget.take(declared)
            taken = declared
        }
        var body = ByteBuffer()
        for try await chunk in request.body {
            guard body.readableBytes + chunk.readableBytes <= maxBytes else {
                throw ServerError(.payloadTooLarge, .bodyLargerThanLimit, ["limit": maxBytes])
            }
            let needed = body.readableBytes + chunk.readableBytes - taken
            if needed > 0 {
                try budget.take(needed)
                taken += needed
            }
            var chunk = chunk
            body.writeBuffer(&chunk)
        }
        if encoding != "identity" {
            body = try GzipBody.decode(body, maxBytes: maxBytes)
        }
        return body
    }

    /// Reads the body as `T`, strictly: see `read(_:shape:from:)`.
    func read<T: JSONNodeDecodable>(_ type: T.Type, shape: JSONShape, from request: Request) async throws -> T {
        try Self.read(type, shape: shape, from: try await bytes(of: request))
    }

    /// Decodes the body as `T` (an admin body `JSONReader` does not read), strictly: see
    /// `decode(_:shape:from:)`.
    func decode<T: Decodable>(_ type: T.Type, shape: JSONShape, from request: Request) async throws -> T {
        try Self.decode(type, shape: shape, from: try await bytes(of: request))
    }

    /// Parses untrusted JSON in one pass of `JSONReader` against `shape`: syntax, nesting
    /// depth, duplicate keys, keys the endpoint does not know, and objects or lists where the
    /// shape says, each failure with its own code and the JSON path.
    static func parse(_ body: ByteBuffer, shape: JSONShape) throws(ServerError) -> JSONNode {
        guard body.readableBytes > 0 else {
            throw ServerError(.malformedJSON, .bodyEmpty)
        }
        do {
            return try JSONReader.parse(Array(body.readableBytesView), shape: shape)
        } catch {
            throw refusal(error)
        }
    }

    /// Reads untrusted JSON as `T`: parsed against `shape`, then `T` read from the tree, the
    /// types and required keys checked, a failure named by its JSON path.
    static func read<T: JSONNodeDecodable>(_ type: T.Type, shape: JSONShape, from body: ByteBuffer) throws(ServerError) -> T {
        let node = try parse(body, shape: shape)
        do {
            return try T(json: node)
        } catch {
            throw refusal(error)
        }
    }

    /// Decodes untrusted JSON as `T`: parsed against `shape`, then `JSONDecoder` (types and
    /// required keys) for the admin bodies `JSONReader` does not read.
    static func decode<T: Decodable>(_ type: T.Type, shape: JSONShape, from body: ByteBuffer) throws -> T {
        _ = try parse(body, shape: shape)
        do {
            return try JSONDecoder().decode(type, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw refusal(error)
        }
    }

    /// The error a request gets for JSON the reader refused.
    static func refusal(_ error: JSONReadError) -> ServerError {
        let place: ServerError.Value = error.path.isEmpty ? .word(.topLevel) : .verbatim(error.place)
        let reason = ServerError.Value.phrase(error.message, code: ServerError.Code.malformedJSON.rawValue)
        switch error.kind {
        case .unknownKey(let key, let allowed):
            return ServerError(.unknownKey, .jsonUnknownKey, ["key": key, "place": place, "allowed": allowed.joined(separator: ", ")])
        case .duplicateKey(let key):
            return ServerError(.duplicateKey, .jsonDuplicateKey, ["key": key, "place": place])
        case .nestingTooDeep(let limit):
            return ServerError(.nestingTooDeep, .jsonNestsTooDeep, ["limit": limit, "place": place])
        case .syntax:
            guard let offset = error.offset else { return ServerError(.malformedJSON, .jsonSyntax, ["reason": reason]) }
            return ServerError(.malformedJSON, .jsonSyntaxAtByte, ["reason": reason, "offset": offset])
        case .value:
            return ServerError(.malformedJSON, .jsonAt, ["place": place, "reason": reason])
        }
    }

    /// The error naming where the JSON went wrong and what ("at changes[0].dot.r: not a
    /// replica UUID"), from the facts of Foundation's error (`DecodingProblem`) in our own
    /// sentences, so a Chinese answer carries none of its English.
    static func refusal(_ error: DecodingError) -> ServerError {
        let problem = DecodingProblem(error)
        let place: ServerError.Value = problem.place.isEmpty ? .word(.topLevel) : .verbatim(problem.place)
        switch problem.kind {
        case .notJSON:
            return ServerError(.malformedJSON, .jsonNotJSON)
        case .missingKey(let key):
            return ServerError(.malformedJSON, .jsonMissingKey, ["place": place, "key": key])
        case .wrongType(let expected):
            return ServerError(.malformedJSON, .jsonExpected, ["place": place, "type": word(expected)])
        case .null(let expected):
            return ServerError(.malformedJSON, .jsonFoundNull, ["place": place, "type": word(expected)])
        case .corrupted(let reason):
            return ServerError(.malformedJSON, .jsonAt, ["place": place, "reason": ServerError.Value.phrase(reason, code: ServerError.Code.malformedJSON.rawValue)])
        }
    }

    /// The type a value should have had, as a word of the reader's language.
    private static func word(_ expected: DecodingProblem.Expected) -> ServerError.Value {
        switch expected {
        case .string: return .word(.typeString)
        case .integer: return .word(.typeInteger)
        case .number: return .word(.typeNumber)
        case .bool: return .word(.typeBool)
        case .array: return .word(.typeArray)
        case .object: return .word(.typeObject)
        case .other(let name): return .verbatim(name)
        }
    }

    /// "application/json; charset=utf-8" → "application/json".
    static func mediaType(of header: String) -> String {
        (header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}
