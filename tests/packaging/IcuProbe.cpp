// dms_icu_probe: exercises each ICU service Qt 6's QtCore calls (collation, converters, case
// mapping, calendars and time-zone names) in several locales and prints what came back. The
// AppImage test runs it against the host's ICU and against the AppImage's trimmed ICU data
// (packaging/trim-icu-data.sh): the two outputs must be the same.

#include <unicode/ucal.h>
#include <unicode/ucnv.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include <cstdio>
#include <string>

namespace {

std::u16string utf16(const char* utf8) {
    UChar buf[256];
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(buf, 256, &n, utf8, -1, &e);
    return std::u16string(reinterpret_cast<const char16_t*>(buf), U_SUCCESS(e) ? n : 0);
}

std::string utf8(const UChar* s, int32_t n) {
    char buf[512];
    UErrorCode e = U_ZERO_ERROR;
    int32_t len = 0;
    u_strToUTF8(buf, sizeof buf, &len, s, n, &e);
    return U_SUCCESS(e) ? std::string(buf, len) : std::string("<") + u_errorName(e) + ">";
}

const UChar* u(const std::u16string& s) {
    return reinterpret_cast<const UChar*>(s.c_str());
}

void collation(const char* locale) {
    UErrorCode e = U_ZERO_ERROR;
    UCollator* c = ucol_open(locale, &e);
    const auto a = utf16("\xc3\xa4pfel"), b = utf16("zebra"),
               c2 = utf16("\xc4\x8d"
                          "aj");
    std::printf("collation %s: %s", locale, u_errorName(e));
    if (c)
        std::printf(" %d %d", ucol_strcoll(c, u(a), -1, u(b), -1),
                    ucol_strcoll(c, u(c2), -1, u(b), -1));
    std::printf("\n");
    if (c) ucol_close(c);
}

void converter(const char* name) {
    UErrorCode e = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open(name, &e);
    std::printf("converter %s: %s", name, u_errorName(e));
    if (cnv) {
        char out[64];
        const auto text = utf16("Gr\xc3\xbc\xc3\x9f\x65 \xe2\x82\xac");
        UErrorCode e2 = U_ZERO_ERROR;
        const int32_t n = ucnv_fromUChars(cnv, out, sizeof out, u(text), -1, &e2);
        std::printf(" %s", ucnv_getName(cnv, &e2));
        for (int32_t i = 0; i < n; ++i)
            std::printf(" %02x", static_cast<unsigned char>(out[i]));
        ucnv_close(cnv);
    }
    std::printf("\n");
}

void caseMapping(const char* locale) {
    UChar out[64];
    UErrorCode e = U_ZERO_ERROR;
    const auto text = utf16("istanbul \xc3\x9f");
    const int32_t n = u_strToUpper(out, 64, u(text), -1, locale, &e);
    std::printf("upper %s: %s %s\n", locale, u_errorName(e), utf8(out, n).c_str());
}

void zoneNames(const char* zone, const char* locale) {
    UErrorCode e = U_ZERO_ERROR;
    const auto id = utf16(zone);
    UCalendar* cal = ucal_open(u(id), -1, locale, UCAL_DEFAULT, &e);
    std::printf("zone %s %s: %s", zone, locale, u_errorName(e));
    if (cal) {
        ucal_setMillis(cal, 1.7e12, &e);
        for (auto type : {UCAL_STANDARD, UCAL_SHORT_STANDARD, UCAL_DST}) {
            UChar out[128];
            UErrorCode e2 = U_ZERO_ERROR;
            const int32_t n = ucal_getTimeZoneDisplayName(cal, type, locale, out, 128, &e2);
            std::printf(" [%s]", U_SUCCESS(e2) ? utf8(out, n).c_str() : u_errorName(e2));
        }
        std::printf(" dst=%d", ucal_getDSTSavings(u(id), &e));
        ucal_close(cal);
    }
    std::printf("\n");
}

} // namespace

int main() {
    for (const char* l : {"root", "en_US", "de_DE", "sv_SE", "cs_CZ", "zh_CN", "ja_JP"})
        collation(l);
    for (const char* n : {"ISO-8859-15", "windows-1252", "Shift_JIS", "GB18030", "KOI8-R", "EUC-KR",
                          "Big5", "IBM037"})
        converter(n);
    for (const char* l : {"en", "tr", "de"})
        caseMapping(l);
    for (const char* z : {"Europe/Berlin", "America/New_York", "Asia/Tokyo"})
        for (const char* l : {"en_US", "de_DE", "fr_FR", "ja_JP"})
            zoneNames(z, l);
    UErrorCode e = U_ZERO_ERROR;
    UEnumeration* zones = ucal_openTimeZones(&e);
    std::printf("zones: %s %d\n", u_errorName(e), zones ? uenum_count(zones, &e) : -1);
    if (zones) uenum_close(zones);
    return 0;
}
