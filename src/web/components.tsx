// Shared page components in the GOV.UK Design System's patterns (src/web/components/*): form controls
// with label, hint and linked error message, error summary, pagination, back link, summary list, panel,
// tag, table, button and the CSRF field. Examples of each: src/web/components/fixtures.tsx, rendered and
// checked with axe in both languages by test/components.browser.test.ts.
export { Text, Ltr, Reference } from './components/text.tsx';
export { ErrorSummary, ErrorMessage, Panel, Tag, Inset, type FieldError, type TagTone } from './components/feedback.tsx';
export {
  TextField,
  TextInput,
  Textarea,
  Select,
  Radios,
  Checkboxes,
  DateInput,
  FileUpload,
  Fieldset,
  Hint,
  CsrfField,
  choiceId,
  dateAnchor,
  Button,
  ButtonGroup,
  type Choice,
  type DateValue,
  type ButtonVariant,
  type InputWidth,
} from './components/form.tsx';
export { BackLink, Breadcrumbs, Pagination, SearchForm } from './components/navigation.tsx';
export { SummaryList, Table, type SummaryRow } from './components/data.tsx';
