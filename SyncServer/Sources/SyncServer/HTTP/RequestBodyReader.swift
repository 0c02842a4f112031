import Foundation
import HTTPTypes
import Hummingbird
import SyncCore

/// Reads a JSON request body the way every endpoint expects it: `Content-Type:
/// application/json`, optionally `Content-Encoding: gzip`, at most `maxBytes` as sent and as
/// decoded, and JSON that decodes into the endpoint's type — each failure with its own code.
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
            throw ServerError(
                .unsupportedMediaType,
                "the body must be JSON sent as 'Content-Type: application/json' (got \(request.headers[.contentType].map { "'\($0)'" } ?? "no Content-Type"))"
            )
        }
        let encoding = request.headers[.contentEncoding].map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "identity"
        guard ["identity", "gzip", "x-gzip"].contains(encoding) else {
            throw ServerError(.unsupportedMediaType, "Content-Encoding '\(encoding)' is not supported (use gzip or none)")
        }
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > maxBytes {
            throw ServerError(.payloadTooLarge, "the request body has \(declared) bytes; the limit is \(maxBytes)")
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
                throw ServerError(.payloadTooLarge, "the request body is larger than the limit of \(maxBytes) bytes")
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

    /// Decodes the body as `T`, strictly: see `decode(_:shape:from:)`.
    func decode<T: Decodable>(_ type: T.Type, shape: JSONShape, from request: Request) async throws -> T {
        try Self.decode(type, shape: shape, from: try await bytes(of: request))
    }

    /// Decodes untrusted JSON as `T`: first `StrictJSON` (syntax, depth, duplicate and unknown
    /// keys against `shape`), then `JSONDecoder` (types and required keys), each failure with its
    /// own code and the JSON path.
    static func decode<T: Decodable>(_ type: T.Type, shape: JSONShape, from body: ByteBuffer) throws -> T {
        try check(body, shape: shape)
        return try decode(type, from: body)
    }

    /// The strict checks alone.
    static func check(_ body: ByteBuffer, shape: JSONShape) throws(ServerError) {
        guard body.readableBytes > 0 else {
            throw ServerError(.malformedJSON, "the request body is empty; expected a JSON object")
        }
        try StrictJSON.check(Array(body.readableBytesView), shape: shape)
    }

    /// Decodes JSON that already passed the strict checks (or a trusted file) as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        guard body.readableBytes > 0 else {
            throw ServerError(.malformedJSON, "the request body is empty; expected a JSON object")
        }
        // Sync requests are read by `JSONReader`, and its verdict is final: a body it refuses is
        // refused, whatever `JSONDecoder` would make of it.
        let bytes = Array(body.readableBytesView)
        do {
            if let value = try JSONReader.decodeIfSupported(type, from: bytes) { return value }
        } catch {
            throw refusal(error, decoding: type, from: bytes)
        }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw ServerError(.malformedJSON, describe(error))
        }
    }

    /// `JSONReader`'s refusal, told with `JSONDecoder`'s account of it (the whole JSON path)
    /// when `JSONDecoder` sees a problem too, else with the reader's own.
    private static func refusal<T: Decodable>(_ error: JSONReadError, decoding type: T.Type, from bytes: [UInt8]) -> ServerError {
        do {
            _ = try JSONDecoder().decode(type, from: Data(bytes))
        } catch let decoding as DecodingError {
            return ServerError(.malformedJSON, describe(decoding))
        } catch {}
        return ServerError(.malformedJSON, error.description)
    }

    /// A message naming where the JSON went wrong ("at changes[0].dot.r: not a replica UUID").
    static func describe(_ error: DecodingError) -> String {
        func location(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .dataCorrupted(let context):
            var message = "at \(location(context.codingPath)): \(context.debugDescription)"
            if let underlying = context.underlyingError {
                message += " (\(underlying.localizedDescription))"
            }
            return message
        case .keyNotFound(let key, let context):
            return "at \(location(context.codingPath)): missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "at \(location(context.codingPath)): expected \(typeName(type)) — \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "at \(location(context.codingPath)): expected \(typeName(type)), found null"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt32.Type: return "an integer"
        case is Bool.Type: return "a bool"
        case is [Any].Type: return "an array"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Dictionary") ? "an object" : name
        }
    }

    /// "application/json; charset=utf-8" → "application/json".
    static func mediaType(of header: String) -> String {
        (header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}
