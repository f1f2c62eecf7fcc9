// captions.h — short Spanish and English captions of Fashion-MNIST's ten classes (class names, synonyms,
// templates such as "una foto de un …" / "a photo of a …") and the word-table tokenizer CLIP reads them with.
// Not a text encoder (nn/clip.h) and not a general tokenizer: a fixed word table, no sub-words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"

namespace difflab {

enum class CaptionLanguage { Es, En };

inline constexpr int kCaptionClasses = 10;  // Fashion-MNIST's labels 0 … 9

// One way of naming a class: the noun phrase and the indefinite article it takes ("un bolso", "una
// zapatilla", "unos pantalones"; "a bag", "an ankle boot", "" for English plurals such as "trousers").
struct CaptionNoun {
  const char* noun;
  const char* article;
};

// The names of class `label` (0 … 9) in `language`; the first is the class's own name ("camiseta",
// "t-shirt"), the others its synonyms ("zapatilla", "calzado deportivo", "deportiva").
const std::vector<CaptionNoun>& caption_nouns(CaptionLanguage language, int label);
// The templates of `language`: "{a}" is replaced by the article, "{n}" by the noun ("una foto de {a} {n}").
const std::vector<std::string>& caption_templates(CaptionLanguage language);
// One caption: template `template_index` filled with noun `noun_index` of class `label` (spaces collapsed).
std::string make_caption(CaptionLanguage language, int label, int noun_index, int template_index);
// Every caption of class `label` in both languages (templates × nouns, Spanish first).
std::vector<std::string> all_captions(int label);
// A caption of class `label` drawn uniformly: language, then noun, then template.
std::string random_caption(int label, Rng& rng);
// The zero-shot prompt of a class: the first template with the class's own name ("una foto de una
// camiseta", "a photo of a t-shirt").
std::string class_prompt(CaptionLanguage language, int label);

// Lowercases ASCII and the accented Latin-1 capitals of UTF-8 ("ZAPATILLA Ñ É" → "zapatilla ñ é"); accents
// are kept.
std::string lowercase_utf8(const std::string& text);
// Lowercases and splits on white space and punctuation (, . ; : ! ? ( ) " ' ¡ ¿); hyphens stay inside words
// ("t-shirt").
std::vector<std::string> split_words(const std::string& text);

// A word table: id 0 is padding, id 1 stands for every word not in the table, then the words in sorted order.
class WordTokenizer {
 public:
  static constexpr int kPad = 0;
  static constexpr int kUnknown = 1;
  WordTokenizer(std::vector<std::string> words, int max_tokens);
  int vocab_size() const { return static_cast<int>(words_.size()); }
  int max_tokens() const { return max_tokens_; }
  // The id of a (lowercase) word, or kUnknown.
  int id(const std::string& word) const;
  const std::string& word(int id) const { return words_.at(static_cast<size_t>(id)); }
  // Exactly max_tokens() ids: the text's words (the first max_tokens() of them), then kPad.
  std::vector<int> encode(const std::string& text) const;
  // Tokens back to words ("<unk>" for unknown ones), padding dropped, separated by spaces.
  std::string decode(const std::vector<int>& tokens) const;

 private:
  std::vector<std::string> words_;  // "<pad>", "<unk>", then sorted
  int max_tokens_;
};

// The table of every word in every caption of both languages, max 16 tokens (the same every run: the text
// encoder's vocabulary size is a checkpoint key checked against it).
const WordTokenizer& caption_tokenizer();

}  // namespace difflab
