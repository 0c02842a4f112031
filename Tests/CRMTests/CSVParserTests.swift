import CRM
import Foundation
import Testing

@Suite("CSV parsing (RFC 4180 and real spreadsheets)")
struct CSVParserTests {
    func rows(_ text: String) throws -> [[String]] {
        try CSVParser.records(in: Data(text.utf8)).map(\.fields)
    }

    @Test("fields, quotes, escaped quotes, embedded line breaks and line ends", arguments: [
        ("a,b,c\n1,2,3\n", [["a", "b", "c"], ["1", "2", "3"]]),
        ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
        ("a,b\r1,2", [["a", "b"], ["1", "2"]]),
        ("a,b\n1,2", [["a", "b"], ["1", "2"]]),
        ("\"a,b\",c", [["a,b", "c"]]),
        ("\"say \"\"hi\"\"\",x", [["say \"hi\"", "x"]]),
        ("\"two\nlines\",x\n", [["two\nlines", "x"]]),
        ("\"two\r\nlines\",x\r\n", [["two\r\nlines", "x"]]),
        (",,", [["", "", ""]]),
        ("\"\",x", [["", "x"]]),
        ("a\n\n\nb\n", [["a"], ["b"]]),
        ("\"quoted\"  ,x", [["quoted", "x"]]),
        ("5\" screen,x", [["5\" screen", "x"]]),
        ("客户名称,电话\n上海华科,021-5888 1234\n", [["客户名称", "电话"], ["上海华科", "021-5888 1234"]]),
        ("\"\"\"\"", [["\""]]),
        ("", []),
    ])
    func parses(text: String, expected: [[String]]) throws {
        #expect(try rows(text) == expected)
    }

    @Test("a record's line is where it starts")
    func lines() throws {
        let records = try CSVParser.records(in: Data("h\n\"a\nb\nc\"\n\nz\n".utf8))
        #expect(records.map(\.line) == [1, 2, 6])
    }

    @Test("a UTF-8 byte order mark is stripped")
    func byteOrderMark() throws {
        let table = try CSVParser.parse(Data([0xEF, 0xBB, 0xBF]) + Data("名称,city\nA,B\n".utf8))
        #expect(table.header == ["名称", "city"])
        #expect(table.rows.first?.fields == ["A", "B"])
    }

    @Test("another delimiter")
    func semicolons() throws {
        let table = try CSVParser.parse(Data("a;b\n\"1;2\";3\n".utf8), delimiter: ";")
        #expect(table.rows.first?.fields == ["1;2", "3"])
    }

    @Test("GBK bytes are refused with the line and a hint")
    func gbk() {
        // "name\n客户名称\n" with 客户名称 in GBK.
        let data = Data("name\n".utf8) + Data([0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x0A])
        let error = #expect(throws: CSVError.self) { try CSVParser.parse(data) }
        #expect(error?.code == .notUTF8)
        #expect(error?.line == 2)
        #expect(error?.message.contains("GBK") == true)
        #expect(error?.message.contains("0xBF") == true)
    }

    @Test("other bad input", arguments: [
        (Data([0xFF, 0xFE, 0x41, 0x00]), CSVError.Code.notUTF8, 1),
        (Data([0x61, 0xC0, 0xAF]), .notUTF8, 1),  // an overlong form
        (Data([0x61, 0x0A, 0xED, 0xA0, 0x80]), .notUTF8, 2),  // a surrogate
        (Data("a,\"open\nb\n".utf8), .unterminatedQuote, 1),
        (Data("a\n\"x\"y,z\n".utf8), .textAfterQuote, 2),
    ])
    func refused(data: Data, code: CSVError.Code, line: Int) {
        let error = #expect(throws: CSVError.self) { try CSVParser.records(in: data) }
        #expect(error?.code == code)
        #expect(error?.line == line)
    }

    @Test("an empty file has no header")
    func empty() {
        #expect(throws: CSVError.self) { try CSVParser.parse(Data()) }
    }
}
