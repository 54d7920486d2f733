import EBMCore
import Foundation
import ImageEBM
import Testing

/// Small MNIST and CIFAR-10 files written by the tests themselves (the real ones are never
/// downloaded).
@Suite("MNIST and CIFAR-10 loaders")
struct LoaderTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("image-loaders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func bigEndian(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    private func idx(_ shape: [Int], _ data: [UInt8]) -> [UInt8] {
        [0, 0, 0x08, UInt8(shape.count)] + shape.flatMap(bigEndian) + data
    }

    private func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func mnistRoundTrip() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Three 4×5 images whose pixel k of image n is 10n + k.
        let pixels = (0..<3).flatMap { n in (0..<20).map { UInt8(10 * n + $0) } }
        let images = try write(idx([3, 4, 5], pixels), "images-idx3-ubyte", in: dir)
        let labels = try write(idx([3], [7, 0, 9]), "labels-idx1-ubyte", in: dir)
        let data = try MNISTLoader.load(images: images, labels: labels)
        #expect(data.images.shape == [3, 1, 4, 5])
        #expect(data.labels == [7, 0, 9])
        #expect(data.images.scalars == pixels.map { Float($0) / 255 })
        #expect(data.oneHotLabels([2, 0]) == Tensor(shape: [2, 10], scalars: (0..<20).map { $0 == 9 || $0 == 17 ? 1 : 0 }))
    }

    @Test func mnistBadFilesAreOneLineErrors() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = try write(idx([2, 2, 2], [UInt8](repeating: 1, count: 8)), "img", in: dir)
        let cases: [(String, [UInt8])] = [
            ("truncated", idx([2], [1])),
            ("padded", idx([2], [1, 2, 3])),
            ("not a digit", idx([2], [1, 12])),
            ("wrong count", idx([3], [1, 2, 3])),
            ("gzip", [0x1F, 0x8B, 8, 0, 0, 0]),
            ("float type", [0, 0, 0x0D, 1] + bigEndian(2) + [1, 2]),
            ("short", [0, 0]),
            ("huge header", [0, 0, 0x08, 3] + bigEndian(1 << 30) + bigEndian(1 << 30) + bigEndian(1 << 30)),
        ]
        for (name, bytes) in cases {
            let labels = try write(bytes, name, in: dir)
            do {
                _ = try MNISTLoader.load(images: images, labels: labels)
                Issue.record("\(name): loaded")
            } catch let error as FileFormatError {
                #expect(!error.description.contains("\n") && error.description.hasPrefix("idx \(name)"), "\(error)")
            }
        }
        #expect(throws: FileFormatError.self) { try MNISTLoader.load(images: dir.appendingPathComponent("missing"), labels: images) }
    }

    @Test func cifarRoundTrip() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func record(_ label: UInt8, _ seed: Int) -> [UInt8] { [label] + (0..<3072).map { UInt8(($0 * 7 + seed) % 256) } }
        let a = try write(record(3, 0) + record(9, 1), "data_batch_1.bin", in: dir)
        let b = try write(record(0, 2), "data_batch_2.bin", in: dir)
        let data = try CIFAR10Loader.load([a, b])
        #expect(data.images.shape == [3, 3, 32, 32])
        #expect(data.labels == [3, 9, 0])
        // Channel-major records: the green plane of image 1 starts at byte 1 + 1024.
        #expect(data.images.scalars[3072 + 1024] == Float((1024 * 7 + 1) % 256) / 255)
        #expect(data.images.scalars[2 * 3072] == Float(2) / 255)

        for (name, bytes) in [("short.bin", Array(record(1, 0).dropLast())), ("label.bin", record(10, 0)), ("empty.bin", [])] {
            let url = try write(bytes, name, in: dir)
            #expect(throws: FileFormatError.self) { try CIFAR10Loader.load([url]) }
        }
    }
}
