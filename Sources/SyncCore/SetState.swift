/// An add-wins observed-remove set of strings: each element maps to its live add-dots.
///
/// A remove only removes the adds its writer had observed, so an add concurrent with a remove
/// survives.
public struct SetState: Hashable, Sendable, Codable {
    public private(set) var elements: [String: [Dot]]

    public init(elements: [String: [Dot]] = [:]) {
        self.elements = elements.compactMapValues { $0.isEmpty ? nil : $0.sorted() }
    }

    /// The live elements, sorted.
    public var members: [String] { elements.keys.sorted() }

    public func contains(_ element: String) -> Bool { elements[element] != nil }

    /// Adds `element` with a new dot; the adds the writer had observed are replaced by it.
    public mutating func add(_ element: String, dot: Dot, context: VersionVector) {
        var dots = (elements[element] ?? []).filter { !context.covers($0) }
        let index = dots.firstIndex { dot < $0 } ?? dots.endIndex
        dots.insert(dot, at: index)
        elements[element] = dots
    }

    /// Removes the adds of `element` that the writer had observed.
    public mutating func remove(_ element: String, context: VersionVector) {
        guard let dots = elements[element] else { return }
        let live = dots.filter { !context.covers($0) }
        elements[element] = live.isEmpty ? nil : live
    }

    public func joined(_ other: SetState, selfVersion: VersionVector, otherVersion: VersionVector) -> SetState {
        var result: [String: [Dot]] = [:]
        for element in Set(elements.keys).union(other.elements.keys) {
            let mine = elements[element] ?? []
            let theirs = other.elements[element] ?? []
            let mineSet = Set(mine)
            let theirSet = Set(theirs)
            var kept = mine.filter { theirSet.contains($0) || !otherVersion.covers($0) }
            kept += theirs.filter { !mineSet.contains($0) && !selfVersion.covers($0) }
            if !kept.isEmpty { result[element] = kept }
        }
        return SetState(elements: result)
    }
}
