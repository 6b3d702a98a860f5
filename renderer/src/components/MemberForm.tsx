import { useId, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useTranslation } from 'react-i18next';
import { MEMBER_ROLE_LIST, type MemberInfo, type MemberRoleKey } from '../../../shared/domain/review';
import { call, toAppError } from '../ipc';
import type { AppError } from '../../../shared/result';
import { ErrorAlert } from './Feedback';

/** Name, role (the four committee roles) and organisation of a new member. */
export function MemberForm({
  activate,
  firstLaunch = false,
  keyboardMemberId,
  onCreated,
  onCancel,
}: {
  activate: boolean;
  /** « Commencer » instead of « Ajouter le membre ». */
  firstLaunch?: boolean;
  keyboardMemberId?: number | null;
  onCreated: (member: MemberInfo) => void | Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<MemberRoleKey | ''>('');
  const [organisation, setOrganisation] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [shown, setShown] = useState({ name: false, role: false });
  const [busy, setBusy] = useState(false);

  const nameMissing = name.trim() === '';
  const roleMissing = role === '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setShown({ name: true, role: true });
    if (nameMissing || role === '') return;
    setBusy(true);
    try {
      const member = await call('member:create', { name: name.trim(), role, organisation: organisation.trim(), activate, keyboardMemberId });
      await onCreated(member);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={`${id}-hint`}>
      <p id={`${id}-hint`} className="fr-text--sm">
        {t('members.formHint')}
      </p>
      <Input
        label={t('members.name')}
        state={shown.name && nameMissing ? 'error' : 'default'}
        stateRelatedMessage={t('members.nameRequired')}
        nativeInputProps={{
          value: name,
          required: true,
          autoComplete: 'name',
          onChange: (e) => setName(e.target.value),
          onBlur: () => setShown((s) => ({ ...s, name: true })),
        }}
      />
      <Select
        label={t('members.role')}
        state={shown.role && roleMissing ? 'error' : 'default'}
        stateRelatedMessage={t('members.roleRequired')}
        nativeSelectProps={{
          value: role,
          required: true,
          onChange: (e) => setRole(e.target.value as MemberRoleKey | ''),
        }}
      >
        <option value="" disabled>
          {t('members.chooseRole')}
        </option>
        {MEMBER_ROLE_LIST.map((r) => (
          <option key={r} value={r}>
            {t(`members.roles.${r}`)}
          </option>
        ))}
      </Select>
      <Input
        label={t('members.organisation')}
        hintText={t('members.organisationHint')}
        nativeInputProps={{ value: organisation, autoComplete: 'organization', onChange: (e) => setOrganisation(e.target.value) }}
      />
      {error && <ErrorAlert error={error} className="fr-mb-2w" />}
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" className="fr-btn" disabled={busy}>
            {firstLaunch ? t('members.createAndStart') : t('members.create')}
          </button>
        </li>
        {onCancel && (
          <li>
            <button type="button" className="fr-btn fr-btn--secondary" onClick={onCancel}>
              {t('members.cancel')}
            </button>
          </li>
        )}
      </ul>
    </form>
  );
}
