// dms_png_colours FILE: prints "WIDTHxHEIGHT COLOURS" for an image, the number of distinct
// colours in it. The AppImage tests use it to tell a rendered main window (text, tables, bars:
// hundreds of colours) from a blank or half-drawn one (a handful).

#include <QImage>

#include <cstdio>
#include <unordered_set>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: dms_png_colours FILE\n");
        return 2;
    }
    const QImage image =
        QImage(QString::fromLocal8Bit(argv[1])).convertToFormat(QImage::Format_RGB32);
    if (image.isNull()) {
        std::fprintf(stderr, "dms_png_colours: cannot read %s\n", argv[1]);
        return 1;
    }
    std::unordered_set<QRgb> colours;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        colours.insert(line, line + image.width());
    }
    std::printf("%dx%d %zu\n", image.width(), image.height(), colours.size());
    return 0;
}
