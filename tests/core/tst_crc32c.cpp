#include "core/Crc32c.h"

#include <QTest>
#include <random>
#include <vector>

class TestCrc32c : public QObject {
    Q_OBJECT
private slots:
    void standardCheckValue() {
        QCOMPARE(dms::crc32c("123456789", 9), 0xE3069283u);
        QCOMPARE(dms::crc32cUpdatePortable(0xFFFFFFFFu, "123456789", 9) ^ 0xFFFFFFFFu, 0xE3069283u);
    }
    void emptyInput() { QCOMPARE(dms::crc32c("", 0), 0u); }
    void hardwareAndPortableAgreeOnRandomBuffers() {
        std::mt19937 rng(42);
        for (int round = 0; round < 200; ++round) {
            std::vector<unsigned char> buf(rng() % 5000);
            for (auto& c : buf)
                c = static_cast<unsigned char>(rng());
            const std::uint32_t seed = rng();
            QCOMPARE(dms::crc32cUpdate(seed, buf.data(), buf.size()),
                     dms::crc32cUpdatePortable(seed, buf.data(), buf.size()));
        }
        qInfo() << "hardware crc32c:" << dms::crc32cIsHardware();
    }
};

QTEST_GUILESS_MAIN(TestCrc32c)
#include "tst_crc32c.moc"
