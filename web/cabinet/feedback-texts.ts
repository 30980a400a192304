/** Cabinet texts of answer feedback (visitors' ratings of answers), in the page's locale. */
import { dictionary } from "../shared/i18n.ts";

const en = {
  ratingFilter: "Rating",
  ratingAll: "All",
  ratingAny: "Rated",
  ratingUp: "Helpful",
  ratingDown: "Not helpful",
  ratedUp: "Visitor: helpful",
  ratedDown: "Visitor: not helpful",
  ratingsTitle: "Answer ratings",
  ratingsDownLink: "Dialogs rated down",
  ratingsUpCount: "{n} helpful",
  ratingsDownCount: "{n} not helpful",
};

const ru: Record<keyof typeof en, string> = {
  ratingFilter: "Оценка",
  ratingAll: "Все",
  ratingAny: "С оценкой",
  ratingUp: "Полезно",
  ratingDown: "Бесполезно",
  ratedUp: "Посетитель: полезно",
  ratedDown: "Посетитель: бесполезно",
  ratingsTitle: "Оценки ответов",
  ratingsDownLink: "Диалоги с плохой оценкой",
  ratingsUpCount: "полезно: {n}",
  ratingsDownCount: "бесполезно: {n}",
};

/** A feedback text of the cabinet in the page's locale. */
export const ft = dictionary(en, ru);
