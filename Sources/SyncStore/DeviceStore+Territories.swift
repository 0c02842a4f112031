import Foundation
import SyncCore

extension DeviceStore {
    private static let territoriesKey = "territories"

    /// The server's territory list as the last sync brought it; empty before any (the device
    /// then takes any territory, and the server decides).
    public func territories() throws -> TerritoryList {
        guard let text = try setting(Self.territoriesKey) else { return TerritoryList(territories: []) }
        return (try? JSONDecoder().decode(TerritoryList.self, from: Data(text.utf8))) ?? TerritoryList(territories: [])
    }

    /// Keeps the server's territory list.
    public func setTerritories(_ list: TerritoryList) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try setSettings([Self.territoriesKey: String(decoding: try encoder.encode(list), as: UTF8.self)])
    }
}
