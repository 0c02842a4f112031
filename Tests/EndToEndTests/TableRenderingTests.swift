import Foundation
import Testing

/// Tables align by display width: Chinese characters take two columns.
@Suite struct TableRenderingTests {
    /// Display columns the way a terminal counts them, for the characters the fixtures use.
    static func columns(_ text: Substring) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x3000...0x303F).contains(value) || (0x4E00...0x9FFF).contains(value) || (0xFF00...0xFF60).contains(value)
            return width + (wide ? 2 : 1)
        }
    }

    @Test func columnsLineUpWithChineseNames() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let (cli, _) = try await DemoDevice.copy(into: scratch)
        let table = try await cli.succeed(["list", "account", "--limit", "40"])
        let lines = table.split(separator: "\n").filter { !$0.hasPrefix("(") }
        #expect(lines.count == 42)
        #expect(lines.contains { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } })
        // Every row's CITY column starts at the same display column as the header's.
        let header = try #require(lines.first)
        let city = try #require(header.range(of: "CITY"))
        let cityColumn = Self.columns(header[..<city.lowerBound])
        for line in lines.dropFirst(2) {
            var prefix = Substring("")
            for character in line {
                if Self.columns(prefix) >= cityColumn { break }
                prefix.append(character)
            }
            #expect(Self.columns(prefix) == cityColumn, "misaligned: \(line)")
        }
    }
}
