/// NaCl's secretbox, XSalsa20 and Poly1305 (Go's
/// golang.org/x/crypto/nacl/secretbox, which kube-apiserver's secretbox
/// provider uses): swift-crypto has neither cipher, so they are here, from
/// their specifications (Salsa20 and XSalsa20 by Bernstein, Poly1305 in
/// the 26-bit-limb form of poly1305-donna). Checked against libsodium's
/// values in EncryptionTests.
enum SecretBox {
    static let keySize = 32
    static let nonceSize = 24
    static let tagSize = 16

    /// The tag, then the ciphertext.
    static func seal(_ message: [UInt8], nonce: [UInt8], key: [UInt8]) -> [UInt8] {
        var stream = XSalsa20(key: key, nonce: nonce)
        let macKey = stream.next(32)
        let ciphertext = zip(message, stream.next(message.count)).map { $0 ^ $1 }
        return Poly1305.tag(ciphertext, key: macKey) + ciphertext
    }

    /// The message, or nil when the tag does not match.
    static func open(_ box: ArraySlice<UInt8>, nonce: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard box.count >= tagSize else { return nil }
        let tag = box.prefix(tagSize), ciphertext = Array(box.dropFirst(tagSize))
        var stream = XSalsa20(key: key, nonce: nonce)
        let expected = Poly1305.tag(ciphertext, key: stream.next(32))
        // Compared in full, whatever differs.
        guard zip(expected, tag).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        return zip(ciphertext, stream.next(ciphertext.count)).map { $0 ^ $1 }
    }
}

/// The XSalsa20 key stream: Salsa20 keyed with HSalsa20(key, nonce[0..<16])
/// over nonce[16..<24], from block 0.
struct XSalsa20 {
    private let key: [UInt32]
    private let nonce: (UInt32, UInt32)
    private var counter: UInt64 = 0
    private var buffered: [UInt8] = []

    private static let sigma: [UInt32] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]  // "expand 32-byte k"

    init(key: [UInt8], nonce: [UInt8]) {
        let words = Self.words(key)
        let n = Self.words(Array(nonce))
        self.key = Self.hsalsa20(key: words, input: Array(n[0..<4]))
        self.nonce = (n[4], n[5])
    }

    /// The next `count` bytes of the stream.
    mutating func next(_ count: Int) -> [UInt8] {
        while buffered.count < count {
            let input = Self.state(key: key, middle: [nonce.0, nonce.1, UInt32(truncatingIfNeeded: counter),
                                                      UInt32(truncatingIfNeeded: counter >> 32)])
            let output = Self.rounds(input)
            for index in 0..<16 { buffered += Self.bytes(output[index] &+ input[index]) }
            counter += 1
        }
        defer { buffered.removeFirst(count) }
        return Array(buffered.prefix(count))
    }

    private static func hsalsa20(key: [UInt32], input: [UInt32]) -> [UInt32] {
        let x = rounds(state(key: key, middle: input))
        return [x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9]]
    }

    /// Salsa20's input block: the constants on the diagonal, the key around
    /// them, and four words of nonce and counter (or HSalsa20's input) in
    /// the middle.
    private static func state(key: [UInt32], middle: [UInt32]) -> [UInt32] {
        [sigma[0], key[0], key[1], key[2], key[3], sigma[1], middle[0], middle[1],
         middle[2], middle[3], sigma[2], key[4], key[5], key[6], key[7], sigma[3]]
    }

    /// Salsa20's 20 rounds (ten column rounds, each followed by a row round).
    private static func rounds(_ input: [UInt32]) -> [UInt32] {
        var x = input
        func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            x[b] ^= (x[a] &+ x[d]).rotated(7)
            x[c] ^= (x[b] &+ x[a]).rotated(9)
            x[d] ^= (x[c] &+ x[b]).rotated(13)
            x[a] ^= (x[d] &+ x[c]).rotated(18)
        }
        for _ in 0..<10 {
            quarter(0, 4, 8, 12); quarter(5, 9, 13, 1); quarter(10, 14, 2, 6); quarter(15, 3, 7, 11)
            quarter(0, 1, 2, 3); quarter(5, 6, 7, 4); quarter(10, 11, 8, 9); quarter(15, 12, 13, 14)
        }
        return x
    }

    static func words(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count, by: 4).map { littleEndian(bytes, $0) }
    }

    static func bytes(_ word: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: word), UInt8(truncatingIfNeeded: word >> 8),
         UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 24)]
    }
}

func littleEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
}

extension UInt32 {
    func rotated(_ count: UInt32) -> UInt32 { self << count | self >> (32 - count) }
}

/// Poly1305 with a one-time 32-byte key: h = (h + block) * r mod 2^130 - 5
/// over 16-byte blocks, in five 26-bit limbs, then h + s mod 2^128.
enum Poly1305 {
    static func tag(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        let mask: UInt64 = 0x3ff_ffff
        let r0 = UInt64(littleEndian(key, 0)) & 0x3ff_ffff
        let r1 = UInt64(littleEndian(key, 3) >> 2) & 0x3ff_ff03
        let r2 = UInt64(littleEndian(key, 6) >> 4) & 0x3ff_c0ff
        let r3 = UInt64(littleEndian(key, 9) >> 6) & 0x3f0_3fff
        let r4 = UInt64(littleEndian(key, 12) >> 8) & 0x00f_ffff
        let s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5
        var h0: UInt64 = 0, h1: UInt64 = 0, h2: UInt64 = 0, h3: UInt64 = 0, h4: UInt64 = 0

        var offset = 0
        while offset < message.count {
            var block = Array(message[offset..<min(offset + 16, message.count)])
            // A full block has a 1 bit past its 128; a short one a 1 byte after it.
            var high: UInt64 = 1 << 24
            if block.count < 16 {
                block.append(1)
                block += Array(repeating: 0, count: 16 - block.count)
                high = 0
            }
            offset += 16
            h0 += UInt64(littleEndian(block, 0)) & mask
            h1 += UInt64(littleEndian(block, 3) >> 2) & mask
            h2 += UInt64(littleEndian(block, 6) >> 4) & mask
            h3 += UInt64(littleEndian(block, 9) >> 6) & mask
            h4 += UInt64(littleEndian(block, 12) >> 8) | high

            let d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1
            var d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2
            var d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3
            var d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4
            var d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0
            h0 = d0 & mask
            d1 += d0 >> 26; h1 = d1 & mask
            d2 += d1 >> 26; h2 = d2 & mask
            d3 += d2 >> 26; h3 = d3 & mask
            d4 += d3 >> 26; h4 = d4 & mask
            h0 += (d4 >> 26) * 5
            h1 += h0 >> 26
            h0 &= mask
        }

        // Carry through, then take h - p when h >= p.
        var carry = h1 >> 26; h1 &= mask
        h2 += carry; carry = h2 >> 26; h2 &= mask
        h3 += carry; carry = h3 >> 26; h3 &= mask
        h4 += carry; carry = h4 >> 26; h4 &= mask
        h0 += carry * 5; carry = h0 >> 26; h0 &= mask
        h1 += carry

        var g0 = h0 + 5; carry = g0 >> 26; g0 &= mask
        var g1 = h1 + carry; carry = g1 >> 26; g1 &= mask
        var g2 = h2 + carry; carry = g2 >> 26; g2 &= mask
        var g3 = h3 + carry; carry = g3 >> 26; g3 &= mask
        let g4 = h4 &+ carry &- (1 << 26)
        // g4's top bit is set (it went below zero) exactly when h < p.
        let useG: UInt64 = (g4 >> 63) == 0 ? ~0 : 0
        h0 = (h0 & ~useG) | (g0 & useG)
        h1 = (h1 & ~useG) | (g1 & useG)
        h2 = (h2 & ~useG) | (g2 & useG)
        h3 = (h3 & ~useG) | (g3 & useG)
        h4 = (h4 & ~useG) | (g4 & mask & useG)

        // h mod 2^128 as four words, plus s.
        let w0 = (h0 | h1 << 26) & 0xffff_ffff
        let w1 = (h1 >> 6 | h2 << 20) & 0xffff_ffff
        let w2 = (h2 >> 12 | h3 << 14) & 0xffff_ffff
        let w3 = (h3 >> 18 | h4 << 8) & 0xffff_ffff
        var f = w0 + UInt64(littleEndian(key, 16))
        var out = XSalsa20.bytes(UInt32(truncatingIfNeeded: f))
        f = w1 + UInt64(littleEndian(key, 20)) + (f >> 32)
        out += XSalsa20.bytes(UInt32(truncatingIfNeeded: f))
        f = w2 + UInt64(littleEndian(key, 24)) + (f >> 32)
        out += XSalsa20.bytes(UInt32(truncatingIfNeeded: f))
        f = w3 + UInt64(littleEndian(key, 28)) + (f >> 32)
        out += XSalsa20.bytes(UInt32(truncatingIfNeeded: f))
        return out
    }
}
