import SyncCore
import Testing

/// How a territory a person types resolves to the key records store.
@Suite("Territory resolution")
struct TerritoryResolutionTests {
    static let list = TerritoryList(territories: [
        Territory(name: "east", title: "华东 East China"), Territory(name: "north", title: "华北 North China"), Territory(name: "west", title: "西南"),
    ])

    @Test("a key, a whole title, or either half of a bilingual title, letter case ignored")
    func accepted() throws {
        for typed in ["east", "EAST", "华东 East China", "华东", "east china", " East China ", "西南", "west"] {
            #expect(Self.list.territories.map(\.name).contains(try Self.list.resolve(typed)), "\(typed)")
        }
        #expect(try Self.list.resolve("华东") == "east")
        #expect(try Self.list.resolve("North China") == "north")
    }

    @Test("anything else is refused with the nearest key; an empty list takes anything")
    func refused() throws {
        #expect(throws: ValidationError.self) { try Self.list.resolve("China") }
        do {
            _ = try Self.list.resolve("esat")
            Issue.record("an unknown territory was taken")
        } catch {
            #expect(error.code == .unknownTerritory)
            #expect(error.message.contains("did you mean 'east'?"), "\(error.message)")
        }
        #expect(try TerritoryList(territories: []).resolve("anywhere") == "anywhere")
    }

    @Test("two titles sharing a half: the half alone names neither")
    func ambiguousHalf() throws {
        let list = TerritoryList(territories: [Territory(name: "east1", title: "华东 Shanghai"), Territory(name: "east2", title: "华东 Jiangsu")])
        #expect(throws: ValidationError.self) { try list.resolve("华东") }
        #expect(try list.resolve("华东 jiangsu") == "east2")
    }
}
