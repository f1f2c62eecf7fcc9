// test_captions.cpp — the Fashion-MNIST captions (es + en) and the word-table tokenizer: fixed strings,
// accents kept, unknown words, padding and truncation. Not a test of the text encoder
// (tests/train/test_clip.cpp).
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "data/captions.h"

using namespace difflab;

TEST_CASE("captions fill the templates with article and noun, in both languages") {
  CHECK(class_prompt(CaptionLanguage::Es, 8) == "una foto de un bolso");
  CHECK(class_prompt(CaptionLanguage::Es, 7) == "una foto de una zapatilla");
  CHECK(class_prompt(CaptionLanguage::En, 7) == "a photo of a sneaker");
  CHECK(class_prompt(CaptionLanguage::En, 9) == "a photo of an ankle boot");
  // An English plural has no article and leaves no double space.
  CHECK(make_caption(CaptionLanguage::En, 1, 0, 0) == "a photo of trousers");
  CHECK(make_caption(CaptionLanguage::En, 1, 0, 1) == "trousers");
  CHECK(make_caption(CaptionLanguage::Es, 7, 1, 0) == "una foto de un calzado deportivo");
  CHECK(make_caption(CaptionLanguage::Es, 1, 1, 4) == "una foto en blanco y negro de unos pantalones");
}

TEST_CASE("every class has 6 templates x 3 nouns per language, and no caption belongs to two classes") {
  std::set<std::string> earlier_classes;
  for (int label = 0; label < kCaptionClasses; ++label) {
    const auto captions = all_captions(label);
    CHECK(captions.size() == 2u * 6u * 3u);
    for (const std::string& c : captions) {
      CHECK(c.find("  ") == std::string::npos);
      CHECK(!c.empty());
      CHECK(earlier_classes.count(c) == 0);  // "top" is Spanish and English, but only ever class 0
    }
    earlier_classes.insert(captions.begin(), captions.end());
  }
}

TEST_CASE("lowercasing keeps accents and lowers accented capitals") {
  CHECK(lowercase_utf8("ZAPATILLA") == "zapatilla");
  CHECK(lowercase_utf8("BOTÍN Ñandú ÉL") == "botín ñandú él");
  CHECK(lowercase_utf8("×") == "×");  // U+00D7 has no small letter
  CHECK(split_words("¡Una FOTO, de un bolso!") ==
        std::vector<std::string>{"una", "foto", "de", "un", "bolso"});
  CHECK(split_words("a T-Shirt") == std::vector<std::string>{"a", "t-shirt"});
}

TEST_CASE("the word table: pad 0, unknown 1, accented words known, fixed length") {
  const WordTokenizer& tok = caption_tokenizer();
  CHECK(tok.max_tokens() == 16);
  CHECK(tok.word(WordTokenizer::kPad) == "<pad>");
  CHECK(tok.word(WordTokenizer::kUnknown) == "<unk>");
  CHECK(tok.id("botín") > 1);
  CHECK(tok.id("botin") == WordTokenizer::kUnknown);  // accents are part of the word
  CHECK(tok.id("zapatilla") > 1);
  CHECK(tok.id("sneaker") > 1);
  const std::vector<int> ids = tok.encode("Una foto de un BOLSO rojo");
  REQUIRE(ids.size() == 16u);
  CHECK(ids[0] == tok.id("una"));
  CHECK(ids[4] == tok.id("bolso"));
  CHECK(ids[5] == WordTokenizer::kUnknown);  // "rojo" is not in the vocabulary
  CHECK(ids[6] == WordTokenizer::kPad);
  CHECK(tok.decode(ids) == "una foto de un bolso <unk>");
  // Longer texts are cut at max_tokens.
  std::string many;
  for (int i = 0; i < 40; ++i) many += "bolso ";
  CHECK(tok.encode(many).back() == tok.id("bolso"));
  // Every caption's words are in the table.
  for (int label = 0; label < kCaptionClasses; ++label)
    for (const std::string& c : all_captions(label))
      for (int id : tok.encode(c)) CHECK(id != WordTokenizer::kUnknown);
}

TEST_CASE("a small table built by hand: sorted ids after pad and unk") {
  WordTokenizer tok({"zeta", "alfa", "alfa", "beta"}, 3);
  CHECK(tok.vocab_size() == 5);
  CHECK(tok.id("alfa") == 2);
  CHECK(tok.id("beta") == 3);
  CHECK(tok.id("zeta") == 4);
  CHECK(tok.encode("") == std::vector<int>{0, 0, 0});
  CHECK(tok.encode("zeta gamma") == std::vector<int>{4, 1, 0});
}
