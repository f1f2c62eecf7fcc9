// text_fold.cpp — the Mathematical Alphanumeric Symbols → BMP table and the UTF-8 walk that applies it.
// Not a Unicode library: only 4-byte sequences are touched; everything else is copied as is.
#include "ui/text_fold.h"

namespace difflab::ui {

namespace {

void append_utf8(std::string* out, unsigned cp) {
  if (cp < 0x80) {
    out->push_back(char(cp));
  } else if (cp < 0x800) {
    out->push_back(char(0xC0 | (cp >> 6)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(char(0xE0 | (cp >> 12)));
    out->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(char(0x80 | (cp & 0x3F)));
  }
}

// U+1D400 + 52·style + letter (A–Z then a–z); styles 3 (script), 5 (fraktur) and 6 (double-struck) have
// holes filled by Letterlike Symbols, listed here.
unsigned fold_math_alphanumeric(unsigned cp) {
  if (cp >= 0x1D7CE && cp <= 0x1D7FF) return '0' + (cp - 0x1D7CE) % 10;  // bold, double-struck, … digits
  if (cp < 0x1D400 || cp > 0x1D6A3) return 0xFFFD;                       // Greek styles: not mapped
  const unsigned style = (cp - 0x1D400) / 52, index = (cp - 0x1D400) % 52;
  const char letter = char(index < 26 ? 'A' + index : 'a' + (index - 26));
  struct Twin {
    unsigned style;
    char letter;
    unsigned code;
  };
  static const Twin twins[] = {
      {3, 'B', 0x212C}, {3, 'E', 0x2130}, {3, 'F', 0x2131}, {3, 'H', 0x210B}, {3, 'I', 0x2110},
      {3, 'L', 0x2112}, {3, 'M', 0x2133}, {3, 'R', 0x211B}, {3, 'e', 0x212F}, {3, 'g', 0x210A},
      {3, 'o', 0x2134}, {5, 'C', 0x212D}, {5, 'H', 0x210C}, {5, 'I', 0x2111}, {5, 'R', 0x211C},
      {5, 'Z', 0x2128}, {6, 'C', 0x2102}, {6, 'H', 0x210D}, {6, 'N', 0x2115}, {6, 'P', 0x2119},
      {6, 'Q', 0x211A}, {6, 'R', 0x211D}, {6, 'Z', 0x2124}, {1, 'h', 0x210E},
  };
  for (const Twin& t : twins)
    if (t.style == style && t.letter == letter) return t.code;
  return unsigned(letter);
}

}  // namespace

std::string fold_to_bmp(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0xF0 || i + 3 >= utf8.size() || (c & 0xF8) != 0xF0) {
      out.push_back(char(c));
      ++i;
      continue;
    }
    const unsigned cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 12) |
                        ((static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu) << 6) |
                        (static_cast<unsigned char>(utf8[i + 3]) & 0x3Fu);
    append_utf8(&out, fold_math_alphanumeric(cp));
    i += 4;
  }
  return out;
}

}  // namespace difflab::ui
