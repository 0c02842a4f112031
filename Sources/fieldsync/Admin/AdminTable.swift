import FieldWork
import Foundation
import SyncServer
import SyncCore

/// Plain-text tables and formats for the admin commands.
enum AdminTable {
    /// Columns padded to their widest cell; cells longer than 48 characters are cut.
    static func render(_ headers: [String], _ rows: [[String]]) -> String {
        let limit = 48
        let cells = ([headers] + rows).map { row in
            row.map { cell in cell.count > limit ? String(cell.prefix(limit - 1)) + "…" : cell }
        }
        var widths = Array(repeating: 0, count: headers.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], displayWidth(cell))
            }
        }
        return cells.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - displayWidth(cell)))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Terminal columns: CJK and full-width characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                return width + 2
            default:
                return width + 1
            }
        }
    }

    static func time(_ milliseconds: Int64) -> String {
        Dates.timestamp(milliseconds: milliseconds)
    }

    /// A conflict's status in the CLI's language: its code in English, its name in Chinese.
    static func status(_ status: String) -> String {
        switch ConflictStatus(rawValue: status) {
        case .open?: return CLIString.statusOpen()
        case .resolvedByEdit?: return CLIString.statusResolvedByEdit()
        case .resolvedByAdmin?: return CLIString.statusResolvedByAdmin()
        case .dismissed?: return CLIString.statusDismissed()
        default: return status
        }
    }

    /// A sentence the server stored in its conflict log (a reason, a resolution) in the CLI's language.
    static func phrase(_ english: String) -> String { ConflictPhrases.text(english, cliLanguage) }

    static func text(_ value: Value?) -> String {
        guard let value, value != .null else { return "-" }
        return value.description
    }
}
