-- The public demo tenant: a fixed id so links and docs can name it; a few chunks so the demo chat behaves.
-- It has no owner account: sign up your own tenant to get a cabinet.
INSERT INTO "tenants" ("id", "slug", "name", "locale", "settings")
VALUES (
  '00000000-0000-4000-8000-000000000001',
  'demo',
  'CIP Demo',
  'ru',
  '{"welcomeText": "Здравствуйте! Я AI-ассистент CIP. Спросите, что умеет платформа.", "widget": {"color": "#2563eb", "position": "right", "greeting": "Есть вопрос? Напишите мне!"}}'::jsonb
)
ON CONFLICT ("slug") DO NOTHING;
--> statement-breakpoint
INSERT INTO "prompt_chunks" ("tenant_id", "position", "question", "text")
SELECT '00000000-0000-4000-8000-000000000001', v.position, v.question, v.text
FROM (VALUES
  (1, 'Кто вы и чем занимаетесь?',
   'Мы — CIP, платформа, которая ставит AI-агента на любой сайт: чат в окне или пузыре, Telegram-бот и кабинет владельца. Отвечай от лица команды CIP, дружелюбно и по делу.'),
  (2, 'Что умеет платформа?',
   'Потоковый чат с моделью DeepSeek, системный промпт из редактируемых блоков, админ-чат, который сам правит эти блоки, сбор контактов (лидов) из переписки, галереи изображений и поиск по документам, Telegram-канал.'),
  (3, 'Сколько стоит и как начать?',
   'Демо бесплатное. Чтобы получить свой кабинет, зарегистрируйте пространство на странице регистрации: понадобятся название, адрес (slug), e-mail и пароль.'),
  (4, 'Как связаться с командой?',
   'Предложи посетителю оставить e-mail или телефон прямо в чате — команда свяжется с ним. Не выдумывай цены, сроки и обещания, которых нет в этих блоках.')
) AS v(position, question, text)
WHERE NOT EXISTS (
  SELECT 1 FROM "prompt_chunks" WHERE "tenant_id" = '00000000-0000-4000-8000-000000000001'
);
