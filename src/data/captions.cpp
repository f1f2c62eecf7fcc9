// captions.cpp — the caption vocabulary of Fashion-MNIST (es + en), caption templates and the word table.
// Not an encoder: nn/clip.cpp turns the token ids into vectors.
#include "data/captions.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace difflab {

namespace {

// Fashion-MNIST's classes: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
// 7 Sneaker, 8 Bag, 9 Ankle boot.
const std::vector<std::vector<CaptionNoun>>& spanish_nouns() {
  static const std::vector<std::vector<CaptionNoun>> nouns = {
      {{"camiseta", "una"}, {"camiseta de manga corta", "una"}, {"top", "un"}},
      {{"pantalón", "un"}, {"pantalones", "unos"}, {"vaqueros", "unos"}},
      {{"jersey", "un"}, {"suéter", "un"}, {"pulóver", "un"}},
      {{"vestido", "un"}, {"vestido largo", "un"}, {"traje de fiesta", "un"}},
      {{"abrigo", "un"}, {"chaqueta", "una"}, {"chaquetón", "un"}},
      {{"sandalia", "una"}, {"sandalias", "unas"}, {"chancla", "una"}},
      {{"camisa", "una"}, {"blusa", "una"}, {"camisa de manga larga", "una"}},
      {{"zapatilla", "una"}, {"calzado deportivo", "un"}, {"deportiva", "una"}},
      {{"bolso", "un"}, {"bolsa", "una"}, {"cartera", "una"}},
      {{"botín", "un"}, {"bota", "una"}, {"bota de tobillo", "una"}},
  };
  return nouns;
}

const std::vector<std::vector<CaptionNoun>>& english_nouns() {
  static const std::vector<std::vector<CaptionNoun>> nouns = {
      {{"t-shirt", "a"}, {"top", "a"}, {"tee", "a"}},
      {{"trousers", ""}, {"pants", ""}, {"jeans", ""}},
      {{"pullover", "a"}, {"sweater", "a"}, {"jumper", "a"}},
      {{"dress", "a"}, {"long dress", "a"}, {"gown", "a"}},
      {{"coat", "a"}, {"jacket", "a"}, {"overcoat", "an"}},
      {{"sandal", "a"}, {"sandals", ""}, {"flip-flop", "a"}},
      {{"shirt", "a"}, {"blouse", "a"}, {"long-sleeved shirt", "a"}},
      {{"sneaker", "a"}, {"trainer", "a"}, {"running shoe", "a"}},
      {{"bag", "a"}, {"handbag", "a"}, {"purse", "a"}},
      {{"ankle boot", "an"}, {"boot", "a"}, {"bootie", "a"}},
  };
  return nouns;
}

bool is_separator(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '.' || c == ';' || c == ':' ||
         c == '!' || c == '?' || c == '(' || c == ')' || c == '"' || c == '\'';
}

}  // namespace

const std::vector<CaptionNoun>& caption_nouns(CaptionLanguage language, int label) {
  if (label < 0 || label >= kCaptionClasses)
    throw std::out_of_range("caption class " + std::to_string(label) + " is not in 0 … 9");
  return language == CaptionLanguage::Es ? spanish_nouns()[label] : english_nouns()[label];
}

const std::vector<std::string>& caption_templates(CaptionLanguage language) {
  static const std::vector<std::string> es = {"una foto de {a} {n}",
                                              "{a} {n}",
                                              "{n}",
                                              "una imagen de {a} {n}",
                                              "una foto en blanco y negro de {a} {n}",
                                              "una foto pequeña de {a} {n}"};
  static const std::vector<std::string> en = {"a photo of {a} {n}",
                                              "{a} {n}",
                                              "{n}",
                                              "an image of {a} {n}",
                                              "a black and white photo of {a} {n}",
                                              "a small photo of {a} {n}"};
  return language == CaptionLanguage::Es ? es : en;
}

std::string make_caption(CaptionLanguage language, int label, int noun_index, int template_index) {
  const CaptionNoun& noun = caption_nouns(language, label).at(static_cast<size_t>(noun_index));
  const std::string& pattern = caption_templates(language).at(static_cast<size_t>(template_index));
  std::string filled;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 3, "{a}") == 0) {
      filled += noun.article;
      i += 2;
    } else if (pattern.compare(i, 3, "{n}") == 0) {
      filled += noun.noun;
      i += 2;
    } else {
      filled += pattern[i];
    }
  }
  std::string caption;  // single spaces, none at the ends (an empty article leaves two)
  for (char c : filled) {
    if (c == ' ' && (caption.empty() || caption.back() == ' ')) continue;
    caption += c;
  }
  while (!caption.empty() && caption.back() == ' ') caption.pop_back();
  return caption;
}

std::vector<std::string> all_captions(int label) {
  std::vector<std::string> captions;
  for (CaptionLanguage language : {CaptionLanguage::Es, CaptionLanguage::En}) {
    const int nouns = static_cast<int>(caption_nouns(language, label).size());
    const int templates = static_cast<int>(caption_templates(language).size());
    for (int t = 0; t < templates; ++t)
      for (int n = 0; n < nouns; ++n) captions.push_back(make_caption(language, label, n, t));
  }
  return captions;
}

std::string random_caption(int label, Rng& rng) {
  const CaptionLanguage language = rng.below(2) == 0 ? CaptionLanguage::Es : CaptionLanguage::En;
  const int noun = static_cast<int>(rng.below(caption_nouns(language, label).size()));
  const int pattern = static_cast<int>(rng.below(caption_templates(language).size()));
  return make_caption(language, label, noun, pattern);
}

std::string class_prompt(CaptionLanguage language, int label) {
  return make_caption(language, label, 0, 0);
}

std::string lowercase_utf8(const std::string& text) {
  std::string out = text;
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
    } else if (c == 0xC3 && i + 1 < out.size()) {
      // U+00C0 … U+00DE (À … Þ, except × U+00D7) are C3 80 … C3 9E; their small letters are 0x20 later.
      const unsigned char next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  const std::string lower = lowercase_utf8(text);
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (size_t i = 0; i < lower.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(lower[i]);
    if (is_separator(c)) {
      flush();
    } else if (c == 0xC2 && i + 1 < lower.size() &&
               (static_cast<unsigned char>(lower[i + 1]) == 0xA1 ||
                static_cast<unsigned char>(lower[i + 1]) == 0xBF)) {  // ¡ ¿
      flush();
      ++i;
    } else {
      word += static_cast<char>(c);
    }
  }
  flush();
  return words;
}

WordTokenizer::WordTokenizer(std::vector<std::string> words, int max_tokens) : max_tokens_(max_tokens) {
  if (max_tokens < 1) throw std::invalid_argument("a tokenizer needs max_tokens ≥ 1");
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  words_ = {"<pad>", "<unk>"};
  for (std::string& w : words)
    if (w != "<pad>" && w != "<unk>") words_.push_back(std::move(w));
}

int WordTokenizer::id(const std::string& word) const {
  const auto first = words_.begin() + 2;
  const auto it = std::lower_bound(first, words_.end(), word);
  return it != words_.end() && *it == word ? static_cast<int>(it - words_.begin()) : kUnknown;
}

std::vector<int> WordTokenizer::encode(const std::string& text) const {
  std::vector<int> tokens(static_cast<size_t>(max_tokens_), kPad);
  const std::vector<std::string> words = split_words(text);
  for (size_t i = 0; i < words.size() && i < tokens.size(); ++i) tokens[i] = id(words[i]);
  return tokens;
}

std::string WordTokenizer::decode(const std::vector<int>& tokens) const {
  std::string text;
  for (int t : tokens) {
    if (t == kPad) continue;
    if (!text.empty()) text += ' ';
    text += t >= 0 && t < vocab_size() ? words_[static_cast<size_t>(t)] : words_[kUnknown];
  }
  return text;
}

const WordTokenizer& caption_tokenizer() {
  static const WordTokenizer tokenizer = [] {
    std::set<std::string> words;
    for (int label = 0; label < kCaptionClasses; ++label)
      for (const std::string& caption : all_captions(label))
        for (std::string& w : split_words(caption)) words.insert(std::move(w));
    return WordTokenizer(std::vector<std::string>(words.begin(), words.end()), 16);
  }();
  return tokenizer;
}

}  // namespace difflab
