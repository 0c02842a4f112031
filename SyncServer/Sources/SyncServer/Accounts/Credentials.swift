import Crypto
import Foundation

/// Makes and checks the secrets of enrollment: one-time codes and device tokens.
///
/// Both are random and high-entropy, so an unsalted SHA-256 is enough to store them: the
/// stored hash is useless to someone who reads the database, and a lookup by hash stays one
/// indexed query.
public enum Credentials {
    /// A new device token: 32 random bytes, base64url without padding.
    public static func makeDeviceToken() -> String {
        base64URL(randomBytes(count: 32))
    }

    /// A new one-time enrollment code: 80 random bits as 16 Crockford base32 characters in
    /// groups of four ("7KQ2-M9XD-4HC1-ZP8W"), easy to read aloud and to type.
    public static func makeEnrollmentCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let bytes = randomBytes(count: 10)
        var bits: UInt64 = 0
        var bitCount = 0
        var characters: [Character] = []
        for byte in bytes {
            bits = (bits << 8) | UInt64(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                characters.append(alphabet[Int((bits >> UInt64(bitCount)) & 31)])
            }
        }
        var grouped = ""
        for (index, character) in characters.enumerated() {
            if index > 0 && index % 4 == 0 { grouped.append("-") }
            grouped.append(character)
        }
        return grouped
    }

    /// The canonical form of a typed enrollment code: upper case, separators removed, and the
    /// letters Crockford base32 reads as digits mapped to them.
    public static func normalizeEnrollmentCode(_ code: String) -> String {
        var result = ""
        for character in code.uppercased() {
            switch character {
            case "-", " ", "\t": continue
            case "O": result.append("0")
            case "I", "L": result.append("1")
            default: result.append(character)
            }
        }
        return result
    }

    /// The stored form of an enrollment code.
    public static func enrollmentCodeHash(_ code: String) -> String {
        sha256Hex(normalizeEnrollmentCode(code))
    }

    /// The stored form of a device token.
    public static func tokenHash(_ token: String) -> String {
        sha256Hex(token)
    }

    /// Hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two secrets (or their hashes) in time that depends only on their lengths.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }

    static func randomBytes(count: Int) -> [UInt8] {
        // SymmetricKey draws from the system's cryptographically secure generator.
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: count * 8))
        return key.withUnsafeBytes { Array($0) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
