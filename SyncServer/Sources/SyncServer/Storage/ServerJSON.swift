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
        if let fast = value as? any JSONTextEncodable {
            var text = JSONText(capacity: 1024)
            fast.write(to: &text)
            return text.bytes
        }
        return Array(try encoder().encode(value))
    }

    static func encodeString<T: Encodable>(_ value: T) throws -> String {
        if let fast = value as? any JSONTextEncodable {
            return fast.jsonText
        }
        return String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        if let fast = type as? any JSONNodeDecodable.Type, let value = try fast.init(jsonText: text) as? T {
            return value
        }
        return try decoder().decode(type, from: Data(text.utf8))
    }
}
