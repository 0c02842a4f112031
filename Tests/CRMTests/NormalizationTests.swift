import CRM
import Testing

@Suite("Normalization of typed data")
struct NormalizationTests {
    @Test("full-width forms become half-width", arguments: [
        ("ＡＢＣ１２３", "ABC123"), ("ｆｉｅｌｄ＠ｓｙｎｃ．ｃｎ", "field@sync.cn"), ("上海　华科", "上海 华科"),
        ("（０２１）５８８８－１２３４", "(021)5888-1234"), ("plain ascii", "plain ascii"), ("", ""),
    ])
    func halfWidth(input: String, expected: String) {
        #expect(Normalization.halfWidth(input) == expected)
    }

    @Test("whitespace is trimmed and collapsed", arguments: [
        ("  Northwind   Trading\tCo.  ", "Northwind Trading Co."), ("\n", ""), ("a", "a"), (" 上海 \n 华科 ", "上海 华科"),
    ])
    func collapsingSpaces(input: String, expected: String) {
        #expect(Normalization.collapsingSpaces(input) == expected)
    }

    @Test("text combines both", arguments: [("　ＡＢＣ　　Ｌｔｄ．　", "ABC Ltd.")])
    func text(input: String, expected: String) {
        #expect(Normalization.text(input) == expected)
    }

    @Test("phone numbers lose their formatting and the Chinese country code", arguments: [
        ("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("0086 13812345678", "13812345678"),
        ("(+86) 138.1234.5678", "13812345678"), ("021-5888 1234", "02158881234"), ("(021) 58881234", "02158881234"),
        ("+86 21 5888 1234", "02158881234"), ("+86 (0)21 5888 1234", "02158881234"), ("０２１－５８８８１２３４", "02158881234"),
        ("+852 2123 4567", "+85221234567"), ("00852 2123 4567", "+85221234567"), ("+1 (415) 555-0100", "+14155550100"),
        ("+44 20 7946 0958", "+442079460958"), ("", ""), ("n/a", ""),
    ])
    func phone(input: String, expected: String) {
        #expect(Normalization.phone(input) == expected)
    }

    @Test("e-mail addresses are trimmed and lowercased", arguments: [
        ("  Sales@HuaKe.com.CN ", "sales@huake.com.cn"), ("ＩＮＦＯ＠ＮＯＲＴＨＷＩＮＤ．ＣＯＭ", "info@northwind.com"),
    ])
    func email(input: String, expected: String) {
        #expect(Normalization.email(input) == expected)
    }

    @Test("the same customer typed differently gets the same duplicate key", arguments: [
        (("上海华科电子有限公司", "上海"), ("上海 华科电子 有限公司", "上海市")),
        (("Northwind Trading Co., Ltd.", "苏州"), ("NORTHWIND TRADING CO LTD", " 苏州 ")),
        (("Ｓｉｌｖｅｒｌｉｎｅ Ａｕｔｏ Ｐａｒｔｓ", "Shenzhen"), ("silverline auto-parts", "SHENZHEN")),
    ])
    func duplicateKeysAgree(first: (String, String), second: (String, String)) {
        #expect(Normalization.duplicateKey(name: first.0, city: first.1) == Normalization.duplicateKey(name: second.0, city: second.1))
    }

    @Test("different customers or cities get different keys")
    func duplicateKeysDiffer() {
        #expect(Normalization.duplicateKey(name: "上海华科电子有限公司", city: "上海") != Normalization.duplicateKey(name: "上海华科电子有限公司", city: "杭州"))
        #expect(Normalization.duplicateKey(name: "恒信科技", city: "杭州") != Normalization.duplicateKey(name: "恒通科技", city: "杭州"))
        #expect(Normalization.duplicateKey(name: "Apex Ltd.", city: nil) == "apexltd|")
        #expect(Normalization.duplicateKey(name: "Acme", city: "市") == "acme|市")
    }
}
