import APIMachinery
import Testing

/// The value formats kube-apiserver's Go decoding checks, with Go's words.
@Suite struct ValueFormatTests {
    @Test func base64ErrorsNameTheByteGoStopsAt() {
        #expect(Base64Check.error("YWJj") == nil)
        #expect(Base64Check.error("YQ==") == nil)
        #expect(Base64Check.error("YWI=\n") == nil)
        #expect(Base64Check.error("") == nil)
        #expect(Base64Check.error("abc") == "illegal base64 data at input byte 0")
        #expect(Base64Check.error("YWJjZA") == "illegal base64 data at input byte 4")
        #expect(Base64Check.error("YW@j") == "illegal base64 data at input byte 2")
        #expect(Base64Check.error("YQ=a") == "illegal base64 data at input byte 2")
        #expect(Base64Check.error("YQ==YQ==") == "illegal base64 data at input byte 4")
        #expect(Base64Check.error("YQ=") == "illegal base64 data at input byte 3")
    }

    @Test func timesFailAsGoTimeParseFails() {
        #expect(TimeLayout.rfc3339.parseError("2026-12-02T06:45:03Z") == nil)
        #expect(TimeLayout.rfc3339.parseError("2026-12-02T06:45:03.123+01:00") == nil)
        #expect(TimeLayout.rfc3339.parseError("2026-12-02") ==
            #"parsing time "2026-12-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#)
        #expect(TimeLayout.rfc3339.parseError("2026-13-02T06:45:03Z") == #"parsing time "2026-13-02T06:45:03Z": month out of range"#)
        #expect(TimeLayout.rfc3339.parseError("2026-02-30T06:45:03Z") == #"parsing time "2026-02-30T06:45:03Z": day out of range"#)
        #expect(TimeLayout.rfc3339.parseError("2026-12-02T06:45:03Zjunk") == #"parsing time "2026-12-02T06:45:03Zjunk": extra text: "junk""#)
        #expect(TimeLayout.rfc3339Micro.parseError("2026-12-02T06:45:03.000001Z") == nil)
        #expect(TimeLayout.rfc3339Micro.parseError("2026-12-02T06:45:03Z") ==
            #"parsing time "2026-12-02T06:45:03Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000""#)
    }

    @Test func quantitiesFollowParseQuantity() {
        for valid in ["1", "100m", "1.5Gi", "2e3", "-1", "+.5", "1E-2", " 3Ki "] {
            #expect(QuantityFormat.error(valid) == nil, "\(valid)")
        }
        #expect(QuantityFormat.error("lots")?.hasPrefix("quantities must match the regular expression") == true)
        #expect(QuantityFormat.error("") != nil)
        #expect(QuantityFormat.error("1Qi") != nil)
        #expect(QuantityFormat.error("1.2.3") == "unable to parse numeric part of quantity")
    }
}
