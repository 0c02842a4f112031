import Foundation
import SyncCore

/// The JSON coders of stored state and of the wire: sorted keys, so equal values are equal
/// bytes on every replica and in every dump. The protocol's hot types (states, changes, sync
/// answers) go through `JSONText` and `JSONReader`, which write the same bytes and read the
/// same values several times faster than `JSONEncoder`/`JSONDecoder`.
enum ServerJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try JSONText.encodedIfSupported(value) ?? Array(encoder().encode(value))
    }

    static func encodeString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let bytes = Array(text.utf8)
        return try JSONReader.decodeIfSupported(type, from: bytes) ?? decoder().decode(type, from: Data(bytes))
    }
}
